// SwiGLU gate of the LLaMA feed-forward block: out[i] = silu(gate[i]) · up[i],
// silu(g) = g · sigmoid(g) = g / (1 + exp(−g)).

struct Params {
  size: u32, // elements
}

override WG: u32 = 64;

@group(0) @binding(0) var<storage, read> gate: array<f32>;      // [size]
@group(0) @binding(1) var<storage, read> up: array<f32>;        // [size]
@group(0) @binding(2) var<storage, read_write> out: array<f32>; // [size]
@group(0) @binding(3) var<uniform> params: Params;

@compute @workgroup_size(WG)
fn swiglu(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u,
          @builtin(local_invocation_index) lid: u32) {
  let index = flat_index(wid, nwg, lid, WG);
  if (index >= params.size) { return; }
  out[index] = swiglu_value(gate[index], up[index]);
}
