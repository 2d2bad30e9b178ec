// Rotary position embedding: inside each head of width head_dim, pair j of row i is rotated by
// angle (position_start + i) · theta^(−2j / head_dim). The pair is (2j, 2j+1) in the llama2.c /
// GGUF layout (neox = 0) and (j, j + head_dim/2) in the NEOX layout (neox = 1, qwen2). Scaled RoPE
// (Llama 3.1) divides the frequency by factors[j]. One invocation per pair. (The LLaMA forward
// pass on WebGPU rotates q and k inside qkv.wgsl; both use the rope helpers of common.wgsl.)

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
  let half = params.head_dim / 2u;
  let pairs_per_row = params.width / 2u;
  if (pair_index >= params.rows * pairs_per_row) { return; }
  let row = pair_index / pairs_per_row;
  let in_row = pair_index % pairs_per_row;
  let j = in_row % half; // pair index inside its head
  var factor = 1.0;
  if (params.scaled == 1u) { factor = factors[j]; }
  let pair = rope_pair(j, params.head_dim, params.neox == 1u);
  let base = row * params.width + (in_row / half) * params.head_dim + pair.x;
  let cs = rope_cos_sin(params.position_start + row, j, params.head_dim, params.theta, factor);
  let rotated = rotate_pair(x[base], x[base + pair.y], cs);
  out[base] = rotated.x;
  out[base + pair.y] = rotated.y;
}
