// Rotary position embedding: inside each head of width head_dim, pair j of row i is rotated by
// angle (position_start + i) · theta^(−2j / head_dim). The pair is (2j, 2j+1) in the llama2.c /
// GGUF layout (neox = 0) and (j, j + head_dim/2) in the NEOX layout (neox = 1, qwen2). Scaled RoPE
// (Llama 3.1) divides the frequency by factors[j].
// One invocation per pair.

struct Params {
  rows: u32,           // n
  width: u32,          // heads · head_dim
  head_dim: u32,       // even
  position_start: u32, // position of row 0
  theta: f32,          // rope base
  neox: u32,           // 1: pairs (j, j + head_dim/2); 0: adjacent pairs
  scaled: u32,         // 1: divide pair j's frequency by factors[j]; 0: factors is a dummy binding
}

override WG: u32 = 64;

@group(0) @binding(0) var<storage, read> x: array<f32>;         // [n, width]
@group(0) @binding(1) var<storage, read> factors: array<f32>;   // [head_dim/2] when scaled
@group(0) @binding(2) var<storage, read_write> out: array<f32>; // [n, width]
@group(0) @binding(3) var<uniform> params: Params;

@compute @workgroup_size(WG)
fn rope(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) lid: u32) {
  let pair_index = flat_index(wid, nwg, lid, WG);
  let pairs_per_row = params.width / 2u;
  if (pair_index >= params.rows * pairs_per_row) { return; }
  let row = pair_index / pairs_per_row;
  let half = params.head_dim / 2u;
  let in_row = pair_index % pairs_per_row;
  let j = in_row % half; // pair index inside its head
  let head_start = (in_row / half) * params.head_dim;
  let first = head_start + select(2u * j, j, params.neox == 1u); // column of the pair's first member
  let second = select(1u, half, params.neox == 1u);             // offset of its second member
  var frequency = pow(params.theta, -2.0 * f32(j) / f32(params.head_dim));
  if (params.scaled == 1u) { frequency = frequency / factors[j]; }
  let angle = f32(params.position_start + row) * frequency;
  let cs = cos(angle);
  let sn = sin(angle);
  let base = row * params.width + first;
  let a = x[base];
  let b = x[base + second];
  out[base] = a * cs - b * sn;
  out[base + second] = a * sn + b * cs;
}
