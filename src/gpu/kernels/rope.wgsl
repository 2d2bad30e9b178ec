// Rotary position embedding, llama2.c / GGUF pair layout: inside each head of width head_dim,
// values (2j, 2j+1) of row i are rotated by angle (position_start + i) · theta^(−2j / head_dim).
// One invocation per pair.

struct Params {
  rows: u32,           // n
  width: u32,          // heads · head_dim
  head_dim: u32,       // even
  position_start: u32, // position of row 0
  theta: f32,          // rope base
}

override WG: u32 = 64;

@group(0) @binding(0) var<storage, read> x: array<f32>;         // [n, width]
@group(0) @binding(1) var<storage, read_write> out: array<f32>; // [n, width]
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(WG)
fn rope(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) lid: u32) {
  let pair_index = flat_index(wid, nwg, lid, WG);
  let pairs_per_row = params.width / 2u;
  if (pair_index >= params.rows * pairs_per_row) { return; }
  let row = pair_index / pairs_per_row;
  let c = (pair_index % pairs_per_row) * 2u; // even column
  let pair = f32((c % params.head_dim) / 2u);
  let frequency = pow(params.theta, -2.0 * pair / f32(params.head_dim));
  let angle = f32(params.position_start + row) * frequency;
  let cs = cos(angle);
  let sn = sin(angle);
  let base = row * params.width + c;
  let a = x[base];
  let b = x[base + 1u];
  out[base] = a * cs - b * sn;
  out[base + 1u] = a * sn + b * cs;
}
