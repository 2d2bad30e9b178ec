// The shared attention core (SASRec and LLaMA): scaled dot-product attention with a causal mask,
// a key-padding mask (rows ≥ keys are never read), grouped-query heads and a query offset.
// Query i sits at absolute row query_start + i and sees keys 0..min(query_start + i, keys − 1);
// query head h reads kv head h / (heads / kv_heads).
// One workgroup per (query, head). Keys are walked in chunks of WG (one key per invocation) with
// an online softmax (running max m and denominator l), so any number of keys fits; each
// invocation accumulates up to DIMS output dims (head_dim ≤ DIMS · WG). Scalar loads: head_dim
// need not be a multiple of 4 (SASRec: 50). With one query this is the decode path.

struct Params {
  queries: u32,
  keys: u32,
  heads: u32,
  kv_heads: u32,
  head_dim: u32,
  query_start: u32,
  scale: f32,
}

const MAX_HEAD_DIM: u32 = 256u;
const DIMS: u32 = 4u; // output dims per invocation
override WG: u32 = 64; // power of two; head_dim ≤ DIMS · WG

@group(0) @binding(0) var<storage, read> q: array<f32>;         // [queries, heads·head_dim]
@group(0) @binding(1) var<storage, read> k: array<f32>;         // [≥keys, kv_heads·head_dim]
@group(0) @binding(2) var<storage, read> v: array<f32>;         // [≥keys, kv_heads·head_dim]
@group(0) @binding(3) var<storage, read_write> out: array<f32>; // [queries, heads·head_dim]
@group(0) @binding(4) var<uniform> params: Params;

var<workgroup> q_row: array<f32, MAX_HEAD_DIM>; // [head_dim] this query head
var<workgroup> probs: array<f32, WG>;           // [WG] exp(score − m) of the current key chunk

@compute @workgroup_size(WG)
fn attention(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u,
             @builtin(local_invocation_index) lid: u32) {
  let group = flat_group(wid, nwg);
  let total = params.queries * params.heads;
  let item = min(group, total - 1u); // surplus groups redo the last item and write nothing
  let i = item / params.heads;
  let h = item % params.heads;
  let head_dim = params.head_dim;
  let kv_width = params.kv_heads * head_dim;
  let kv_offset = (h / (params.heads / params.kv_heads)) * head_dim;
  let q_base = i * params.heads * head_dim + h * head_dim;
  for (var c = lid; c < head_dim; c += WG) { q_row[c] = q[q_base + c]; }
  workgroupBarrier();

  let last = last_visible_key(params.query_start, i, params.keys);
  var m = NEG_BIG; // running max of scores
  var l = 0.0;     // running Σ exp(score − m)
  var acc: array<f32, DIMS>; // [DIMS] running Σ exp(score − m) · v
  for (var j0 = 0u; j0 <= last; j0 += WG) {
    let j = j0 + lid;
    var score = NEG_BIG;
    if (j <= last) {
      var dot = 0.0;
      for (var c = 0u; c < head_dim; c++) { dot = fma(q_row[c], k[j * kv_width + kv_offset + c], dot); }
      score = dot * params.scale;
    }
    let m_new = max(m, workgroup_max(score, lid, WG));
    let correction = exp(m - m_new);
    let p = select(0.0, exp(score - m_new), j <= last);
    probs[lid] = p;
    l = l * correction + workgroup_sum(p, lid, WG); // its barriers also publish probs
    let count = min(WG, last + 1u - j0);
    for (var t = 0u; t < DIMS; t++) {
      let c = lid + t * WG;
      if (c < head_dim) {
        var sum = 0.0;
        for (var jj = 0u; jj < count; jj++) { sum = fma(probs[jj], v[(j0 + jj) * kv_width + kv_offset + c], sum); }
        acc[t] = acc[t] * correction + sum;
      }
    }
    m = m_new;
    workgroupBarrier(); // probs is rewritten by the next chunk
  }
  if (group >= total) { return; }
  for (var t = 0u; t < DIMS; t++) {
    let c = lid + t * WG;
    if (c < head_dim) { out[q_base + c] = acc[t] / l; }
  }
}
