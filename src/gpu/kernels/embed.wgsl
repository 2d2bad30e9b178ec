// out[i, c] = table[ids[i], c] · scale + (has_pos ? pos[pos_start + i, c] : 0)

struct Params {
  n: u32,         // ids
  d: u32,         // row width
  pos_start: u32, // first position row
  has_pos: u32,   // 0: no position table (pos is bound to the table and ignored)
  scale: f32,
}

override WG: u32 = 64;

@group(0) @binding(0) var<storage, read> table: array<f32>;        // [rows, d]
@group(0) @binding(1) var<storage, read> pos: array<f32>;          // [P, d]
@group(0) @binding(2) var<storage, read> ids: array<i32>;          // [n]
@group(0) @binding(3) var<storage, read_write> out: array<f32>;    // [n, d]
@group(0) @binding(4) var<uniform> params: Params;

@compute @workgroup_size(WG)
fn embed(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u,
         @builtin(local_invocation_index) lid: u32) {
  let index = flat_index(wid, nwg, lid, WG);
  if (index >= params.n * params.d) { return; }
  let i = index / params.d;
  let c = index % params.d;
  var value = table[u32(ids[i]) * params.d + c] * params.scale;
  if (params.has_pos != 0u) {
    value += pos[(params.pos_start + i) * params.d + c];
  }
  out[index] = value;
}
