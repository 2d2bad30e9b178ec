// Top-k with exclusions in one workgroup (one dispatch), by prefiltering: only scores that can be in
// the top k are sorted. Steps, separated by barriers:
//   1. bucket maxima: `buckets` (≥ k) buckets of `bucket_size` consecutive scores; each gets its best
//      order key over non-excluded ids (0 when it has none).
//   2. threshold t = the k-th best bucket maximum (bitonic sort of the maxima). Exact: k buckets
//      have a maximum ≥ t, so at least k eligible scores are ≥ t, hence every true top-k score is ≥ t.
//   3. compaction: eligible scores with key ≥ t are appended to `candidates` (workgroup atomic
//      counter; at most `capacity` are stored, the rest only counted).
//   4. selection: the candidates (or, if they overflowed `capacity` — many ties — every score) stream
//      through a bitonic network in workgroup memory that keeps the best k in slots 0..k-1 while new
//      items fill slots k..width-1; the best k pairs are written out.
// One workgroup suffices: the per-score work is a compare, and a dispatch costs more than the scan
// on the CPU drivers measured (lavapipe, SwiftShader).
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

@group(0) @binding(0) var<storage, read> scores: array<f32>;             // [count]
@group(0) @binding(1) var<storage, read> exclude: array<i32>;            // [exclude_count] ascending
@group(0) @binding(2) var<storage, read_write> candidates: array<vec2u>; // [capacity] (key, index)
@group(0) @binding(3) var<storage, read_write> pairs_out: array<vec2u>;  // [k] (key, index), best first
@group(0) @binding(4) var<uniform> params: Params;

var<workgroup> keys: array<u32, CHUNK>;    // [CHUNK]
var<workgroup> indices: array<u32, CHUNK>; // [CHUNK]
var<workgroup> found: atomic<u32>;         // candidates ≥ threshold
var<workgroup> shared_found: u32;
var<workgroup> shared_threshold: u32;

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

// Step 1–2: the threshold (returned to every invocation).
fn threshold(lid: u32) -> u32 {
  let width = network_width(params.buckets);
  for (var b = lid; b < width; b += WG) {
    var best = 0u;
    let start = b * params.bucket_size;
    let end = min(start + params.bucket_size, params.count); // empty past the last bucket
    for (var e = start; e < end; e++) {
      let key = order_key(scores[e]);
      if (key > best && !is_excluded(e)) { best = key; }
    }
    keys[b] = best;
    indices[b] = select(NONE, b, b < params.buckets);
  }
  workgroupBarrier();
  sort_network(width, lid);
  if (lid == 0u) {
    shared_threshold = keys[params.k - 1u];
    atomicStore(&found, 0u);
  }
  return workgroupUniformLoad(&shared_threshold);
}

// Step 3: candidates ≥ t into `candidates`; returns how many there were (stored or not).
fn compact(t: u32, lid: u32) -> u32 {
  for (var e = lid; e < params.count; e += WG) {
    let key = order_key(scores[e]);
    if (key >= t && !is_excluded(e)) {
      let slot = atomicAdd(&found, 1u);
      if (slot < params.capacity) { candidates[slot] = vec2u(key, e); }
    }
  }
  storageBarrier(); // candidates written by any invocation are visible to all below
  workgroupBarrier();
  if (lid == 0u) { shared_found = atomicLoad(&found); }
  return workgroupUniformLoad(&shared_found);
}

@compute @workgroup_size(WG)
fn top_k(@builtin(local_invocation_index) lid: u32) {
  let t = threshold(lid);
  let count = compact(t, lid);
  // Step 4.
  let overflow = count > params.capacity;
  let total = select(count, params.count, overflow); // items to stream through the network
  let k = params.k;
  let width = network_width(k + min(total, CHUNK - k));
  let step = width - k;
  for (var r = lid; r < k; r += WG) {
    keys[r] = 0u;
    indices[r] = NONE;
  }
  for (var base = 0u; base < total; base += step) {
    for (var r = lid; r < step; r += WG) {
      let e = base + r;
      var pair = vec2u(0u, NONE);
      if (e < total) {
        if (overflow) { pair = score_pair(e); } else { pair = candidates[e]; }
      }
      keys[k + r] = pair.x;
      indices[k + r] = pair.y;
    }
    workgroupBarrier();
    sort_network(width, lid);
  }
  for (var r = lid; r < k; r += WG) {
    pairs_out[r] = vec2u(keys[r], indices[r]);
  }
}
