// Helpers shared by every kernel; prepended to each kernel's source (see kernels/spec.ts).

// Flat invocation index of a 1-D problem dispatched as a 2-D grid of workgroups (x wraps at
// the 65535-workgroup limit): workgroup (x, y) of size `wg` covers [ (y·nx + x)·wg, … + wg ).
fn flat_index(wid: vec3u, nwg: vec3u, lid: u32, wg: u32) -> u32 {
  return (wid.y * nwg.x + wid.x) * wg + lid;
}

// Same for workgroup-per-item kernels (one workgroup handles one row / one item).
fn flat_group(wid: vec3u, nwg: vec3u) -> u32 {
  return wid.y * nwg.x + wid.x;
}

// Workgroup reductions for workgroups of `wg` invocations (a power of two ≤ 256). Every
// invocation must call them in uniform control flow. Only kernels that call them pay for the
// scratch array.
var<workgroup> reduce_scratch: array<f32, 256>; // [wg]

fn workgroup_sum(value: f32, lid: u32, wg: u32) -> f32 {
  reduce_scratch[lid] = value;
  workgroupBarrier();
  for (var stride = wg / 2u; stride > 0u; stride /= 2u) {
    if (lid < stride) { reduce_scratch[lid] += reduce_scratch[lid + stride]; }
    workgroupBarrier();
  }
  let total = reduce_scratch[0];
  workgroupBarrier();
  return total;
}

fn workgroup_max(value: f32, lid: u32, wg: u32) -> f32 {
  reduce_scratch[lid] = value;
  workgroupBarrier();
  for (var stride = wg / 2u; stride > 0u; stride /= 2u) {
    if (lid < stride) { reduce_scratch[lid] = max(reduce_scratch[lid], reduce_scratch[lid + stride]); }
    workgroupBarrier();
  }
  let best = reduce_scratch[0];
  workgroupBarrier();
  return best;
}

// Most negative finite f32: a "minus infinity" that keeps exp() and max() well defined.
const NEG_BIG: f32 = -3.402823e38;

// The attention mask shared by attention.wgsl and attention_prefill.wgsl: query i sits at absolute
// row query_start + i and sees keys 0..last_visible_key (causal + key padding: rows ≥ keys hidden).
fn last_visible_key(query_start: u32, i: u32, keys: u32) -> u32 {
  return min(query_start + i, keys - 1u);
}

// SwiGLU of one element (swiglu.wgsl and the GATED matvecs): silu(gate) · up = gate / (1 + e^−gate) · up.
fn swiglu_value(gate: f32, up: f32) -> f32 {
  return gate / (1.0 + exp(-gate)) * up;
}

// RoPE pair j of a head of head_dim values (rope.wgsl, qkv.wgsl): its first member's column inside
// the head and the distance to its second member — (2j, 1) in the llama2.c / GGUF layout,
// (j, head_dim/2) in the NEOX layout.
fn rope_pair(j: u32, head_dim: u32, neox: bool) -> vec2u {
  return select(vec2u(2u * j, 1u), vec2u(j, head_dim / 2u), neox);
}

// (cos, sin) of pair j's angle at `position`: position · theta^(−2j / head_dim) / factor
// (factor 1 unless scaled RoPE).
fn rope_cos_sin(position: u32, j: u32, head_dim: u32, theta: f32, factor: f32) -> vec2f {
  let frequency = pow(theta, -2.0 * f32(j) / f32(head_dim)) / factor;
  let angle = f32(position) * frequency;
  return vec2f(cos(angle), sin(angle));
}

// The pair (a, b) rotated by the angle whose (cos, sin) is `cs`.
fn rotate_pair(a: f32, b: f32, cs: vec2f) -> vec2f {
  return vec2f(a * cs.x - b * cs.y, a * cs.y + b * cs.x);
}
