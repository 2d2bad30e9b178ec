// Rotary position embedding: inside each head of width head_dim, pair j of row i is rotated by
// angle (position_start + i) · theta^(−2j / head_dim). The pair is (2j, 2j+1) in the llama2.c /
// GGUF layout (neox = 0) and (j, j + head_dim/2) in the NEOX layout (neox = 1, qwen2). Scaled RoPE
// (Llama 3.1) divides the frequency by factors[j].
// One invocation per pair. With k_width > 0 one dispatch also rotates the rows of a second tensor
// x_k [n, k_width] (the keys, same positions) and writes them at rows k_out_row.. of out_k (the KV
// cache), so a LLaMA layer needs one rope dispatch and no copy for its keys.

struct Params {
  rows: u32,           // n
  width: u32,          // heads · head_dim
  head_dim: u32,       // even
  position_start: u32, // position of row 0
  theta: f32,          // rope base
  neox: u32,           // 1: pairs (j, j + head_dim/2); 0: adjacent pairs
  scaled: u32,         // 1: divide pair j's frequency by factors[j]; 0: factors is a dummy binding
  k_width: u32,        // kv_heads · head_dim of x_k; 0: x_k and out_k are dummy bindings
  k_out_row: u32,      // row of out_k that row 0 of x_k goes to
}

override WG: u32 = 64;

@group(0) @binding(0) var<storage, read> x: array<f32>;         // [n, width]
@group(0) @binding(1) var<storage, read> factors: array<f32>;   // [head_dim/2] when scaled
@group(0) @binding(2) var<storage, read_write> out: array<f32>; // [n, width]
@group(0) @binding(3) var<storage, read> x_k: array<f32>;         // [n, k_width]
@group(0) @binding(4) var<storage, read_write> out_k: array<f32>; // [≥ k_out_row + n, k_width]
@group(0) @binding(5) var<uniform> params: Params;

// Where pair `pair` of row `row` of a tensor `width` wide sits and how it turns.
struct Rotation {
  first: u32,  // column of the pair's first member
  second: u32, // offset of its second member
  cs: f32,
  sn: f32,
}

fn rotation(row: u32, in_row: u32) -> Rotation {
  let half = params.head_dim / 2u;
  let j = in_row % half; // pair index inside its head
  let head_start = (in_row / half) * params.head_dim;
  var frequency = pow(params.theta, -2.0 * f32(j) / f32(params.head_dim));
  if (params.scaled == 1u) { frequency = frequency / factors[j]; }
  let angle = f32(params.position_start + row) * frequency;
  return Rotation(head_start + select(2u * j, j, params.neox == 1u), select(1u, params.head_dim / 2u,
                  params.neox == 1u), cos(angle), sin(angle));
}

@compute @workgroup_size(WG)
fn rope(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) lid: u32) {
  let pair_index = flat_index(wid, nwg, lid, WG);
  let pairs_per_row = params.width / 2u;
  let q_pairs = params.rows * pairs_per_row;
  if (pair_index < q_pairs) {
    let row = pair_index / pairs_per_row;
    let r = rotation(row, pair_index % pairs_per_row);
    let base = row * params.width + r.first;
    let a = x[base];
    let b = x[base + r.second];
    out[base] = a * r.cs - b * r.sn;
    out[base + r.second] = a * r.sn + b * r.cs;
    return;
  }
  let k_pairs_per_row = params.k_width / 2u;
  let k_index = pair_index - q_pairs;
  if (k_index >= params.rows * k_pairs_per_row) { return; }
  let row = k_index / k_pairs_per_row;
  let r = rotation(row, k_index % k_pairs_per_row);
  let base = row * params.k_width + r.first;
  let out_base = (params.k_out_row + row) * params.k_width + r.first;
  let a = x_k[base];
  let b = x_k[base + r.second];
  out_k[out_base] = a * r.cs - b * r.sn;
  out_k[out_base + r.second] = a * r.sn + b * r.cs;
}
