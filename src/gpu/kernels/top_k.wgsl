// Top-k with exclusions by prefiltering: only candidates that can be in the top k are sorted.
// Four entry points share this module (same bindings, same helpers), dispatched in this order:
//   top_k_buckets   one invocation per bucket of `bucket_size` scores: the bucket's best order key
//                   over its non-excluded ids (0 when it has none).
//   top_k_threshold one workgroup: sorts the `buckets` (≥ k) bucket maxima and keeps the k-th best
//                   as the threshold t. Exact: k buckets have a maximum ≥ t, so at least k eligible
//                   scores are ≥ t, hence every true top-k score is ≥ t. Resets the candidate count.
//   top_k_compact   one invocation per score: eligible scores with key ≥ t are appended to
//                   `candidates` (atomic counter; at most `capacity` are stored, the rest counted).
//   top_k           one workgroup: streams the candidates (or, if they overflowed `capacity`, every
//                   score: many ties) through a bitonic network in workgroup memory, keeping the best
//                   k in slots 0..k-1 while new items fill slots k..width-1; writes the best k pairs.
// Candidates are (order key, index) pairs: the key is a u32 whose unsigned order is the float order
// (NaN lowest, −0 = +0); ties go to the lower index; padding gets index NONE and ranks last.

struct Params {
  count: u32,         // scores
  k: u32,             // results wanted (≤ count)
  exclude_count: u32,
  bucket_size: u32,   // scores per bucket
  buckets: u32,       // k ≤ buckets ≤ CHUNK
  capacity: u32,      // candidates stored: CHUNK − k
}

const NONE: u32 = 0xffffffffu;
override WG: u32 = 64;
override CHUNK: u32 = 1024; // power of two: the widest network

@group(0) @binding(0) var<storage, read> scores: array<f32>;                 // [count]
@group(0) @binding(1) var<storage, read> exclude: array<i32>;                // [exclude_count] ascending
@group(0) @binding(2) var<storage, read_write> bucket_max: array<u32>;       // [buckets] order keys
@group(0) @binding(3) var<storage, read_write> state: array<atomic<u32>, 4>; // [threshold, found, -, -]
@group(0) @binding(4) var<storage, read_write> candidates: array<vec2u>;     // [capacity] (key, index)
@group(0) @binding(5) var<storage, read_write> pairs_out: array<vec2u>;      // [k] (key, index), best first
@group(0) @binding(6) var<uniform> params: Params;

var<workgroup> keys: array<u32, CHUNK>;    // [CHUNK]
var<workgroup> indices: array<u32, CHUNK>; // [CHUNK]
var<workgroup> shared_found: u32;

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

// Score e as a candidate pair; excluded ids become padding.
fn score_pair(e: u32) -> vec2u {
  if (is_excluded(e)) { return vec2u(0u, NONE); }
  return vec2u(order_key(scores[e]), e);
}

// (key a, index a) ranks before (key b, index b)
fn before(ka: u32, ia: u32, kb: u32, ib: u32) -> bool {
  return ka > kb || (ka == kb && ia < ib);
}

// Smallest power of two ≥ max(n, 2).
fn network_width(n: u32) -> u32 {
  var width = 2u;
  while (width < n) { width *= 2u; }
  return width;
}

// Sorts keys/indices[0..width) best first (bitonic; width a power of two ≤ CHUNK). Uniform control flow.
fn sort_network(width: u32, lid: u32) {
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
}

@compute @workgroup_size(WG)
fn top_k_buckets(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u,
                 @builtin(local_invocation_index) lid: u32) {
  let b = flat_index(wid, nwg, lid, WG);
  if (b >= params.buckets) { return; }
  let start = b * params.bucket_size;
  let end = min(start + params.bucket_size, params.count);
  var best = 0u;
  for (var e = start; e < end; e++) {
    let key = order_key(scores[e]);
    if (key > best && !is_excluded(e)) { best = key; }
  }
  bucket_max[b] = best;
}

@compute @workgroup_size(WG)
fn top_k_threshold(@builtin(local_invocation_index) lid: u32) {
  let width = network_width(params.buckets);
  for (var t = lid; t < width; t += WG) {
    let real = t < params.buckets;
    keys[t] = select(0u, bucket_max[min(t, params.buckets - 1u)], real);
    indices[t] = select(NONE, t, real);
  }
  workgroupBarrier();
  sort_network(width, lid);
  if (lid == 0u) {
    atomicStore(&state[0], keys[params.k - 1u]);
    atomicStore(&state[1], 0u);
  }
}

@compute @workgroup_size(WG)
fn top_k_compact(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u,
                 @builtin(local_invocation_index) lid: u32) {
  let e = flat_index(wid, nwg, lid, WG);
  if (e >= params.count) { return; }
  let key = order_key(scores[e]);
  if (key < atomicLoad(&state[0]) || is_excluded(e)) { return; }
  let slot = atomicAdd(&state[1], 1u);
  if (slot < params.capacity) { candidates[slot] = vec2u(key, e); }
}

@compute @workgroup_size(WG)
fn top_k(@builtin(local_invocation_index) lid: u32) {
  if (lid == 0u) { shared_found = atomicLoad(&state[1]); }
  let found = workgroupUniformLoad(&shared_found);
  let overflow = found > params.capacity;
  let total = select(found, params.count, overflow); // items to stream through the network
  let k = params.k;
  let width = network_width(k + min(total, CHUNK - k));
  let step = width - k;
  for (var t = lid; t < k; t += WG) {
    keys[t] = 0u;
    indices[t] = NONE;
  }
  for (var base = 0u; base < total; base += step) {
    for (var t = lid; t < step; t += WG) {
      let e = base + t;
      var pair = vec2u(0u, NONE);
      if (e < total) {
        if (overflow) { pair = score_pair(e); } else { pair = candidates[e]; }
      }
      keys[k + t] = pair.x;
      indices[k + t] = pair.y;
    }
    workgroupBarrier();
    sort_network(width, lid);
  }
  for (var r = lid; r < k; r += WG) {
    pairs_out[r] = vec2u(keys[r], indices[r]);
  }
}
