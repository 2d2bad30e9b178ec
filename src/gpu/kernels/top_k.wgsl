// Top-k, one pass of a chunked selection: workgroup g loads `width` candidates (≤ CHUNK), sorts
// them best first with a bitonic network in workgroup memory, and writes its best k to
// pairs_out[g·k …]. A small last pass sorts a small network (width = next power of two of count).
// The host repeats passes over the survivors until one chunk remains (k ≤ 256 < CHUNK).
// Candidates are (order key, index) pairs: the key is a u32 whose unsigned order is the float
// order (NaN lowest, −0 = +0); ties go to the lower index; padding / excluded ids get index NONE
// and rank after everything.
//   from_scores == 1: candidates are scores[e] for e < count, skipping ids in `exclude` (sorted)
//   from_scores == 0: candidates are pairs_in[e] for e < count

struct Params {
  count: u32,        // candidates in this pass
  k: u32,            // survivors per workgroup
  exclude_count: u32,
  from_scores: u32,
  width: u32,        // candidates per workgroup: a power of two, k ≤ width ≤ CHUNK
}

const NONE: u32 = 0xffffffffu;
override WG: u32 = 256;
override CHUNK: u32 = 1024; // power of two, ≥ 2·WG

@group(0) @binding(0) var<storage, read> scores: array<f32>;              // [n]
@group(0) @binding(1) var<storage, read> exclude: array<i32>;             // [exclude_count] ascending
@group(0) @binding(2) var<storage, read> pairs_in: array<vec2u>;          // [count] (key, index)
@group(0) @binding(3) var<storage, read_write> pairs_out: array<vec2u>;   // [groups·k] (key, index)
@group(0) @binding(4) var<uniform> params: Params;

var<workgroup> keys: array<u32, CHUNK>;    // [CHUNK]
var<workgroup> indices: array<u32, CHUNK>; // [CHUNK]

fn order_key(x: f32) -> u32 {
  let bits = bitcast<u32>(x);
  if ((bits & 0x7fffffffu) > 0x7f800000u) { return 0u; } // NaN: below −∞
  if (bits == 0x80000000u) { return 0x80000000u; }      // −0 ranks as +0
  if ((bits & 0x80000000u) != 0u) { return ~bits; }
  return bits | 0x80000000u;
}

fn is_excluded(id: u32) -> bool {
  var lo = 0u;
  var hi = params.exclude_count;
  while (lo < hi) {
    let mid = (lo + hi) / 2u;
    let value = exclude[mid];
    if (value == i32(id)) { return true; }
    if (value < i32(id)) { lo = mid + 1u; } else { hi = mid; }
  }
  return false;
}

fn load(e: u32) -> vec2u {
  if (e >= params.count) { return vec2u(0u, NONE); }
  if (params.from_scores == 0u) { return pairs_in[e]; }
  if (is_excluded(e)) { return vec2u(0u, NONE); }
  return vec2u(order_key(scores[e]), e);
}

// (key a, index a) ranks before (key b, index b)
fn before(ka: u32, ia: u32, kb: u32, ib: u32) -> bool {
  return ka > kb || (ka == kb && ia < ib);
}

@compute @workgroup_size(WG)
fn top_k(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u,
         @builtin(local_invocation_index) lid: u32) {
  let group = flat_group(wid, nwg);
  let width = params.width;
  for (var t = lid; t < width; t += WG) {
    let pair = load(group * width + t);
    keys[t] = pair.x;
    indices[t] = pair.y;
  }
  workgroupBarrier();
  for (var size = 2u; size <= width; size *= 2u) {
    for (var stride = size / 2u; stride > 0u; stride /= 2u) {
      for (var t = lid; t < width / 2u; t += WG) {
        let lo = 2u * stride * (t / stride) + t % stride;
        let hi = lo + stride;
        let hi_first = before(keys[hi], indices[hi], keys[lo], indices[lo]);
        // blocks with (lo & size) == 0 sort best first, the others worst first
        if (hi_first == ((lo & size) == 0u)) {
          let key = keys[lo];
          let index = indices[lo];
          keys[lo] = keys[hi];
          indices[lo] = indices[hi];
          keys[hi] = key;
          indices[hi] = index;
        }
      }
      workgroupBarrier();
    }
  }
  for (var r = lid; r < params.k; r += WG) {
    pairs_out[group * params.k + r] = vec2u(keys[r], indices[r]);
  }
}
