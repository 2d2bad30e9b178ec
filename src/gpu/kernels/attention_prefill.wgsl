// The attention core for many queries (prefill / full SASRec forward): same contract and mask as
// attention.wgsl (see last_visible_key in common.wgsl), laid out for throughput instead:
// one invocation per query, QB queries × one head per workgroup. Keys and values stream through
// workgroup memory in tiles of KT rows shared by all QB queries; each invocation keeps its own
// online softmax (max m, denominator l) and its output row in private memory, rescaled once per
// tile. No reductions, one barrier pair per tile. head_dim ≤ MAX_HEAD_DIM, scalar loads.

struct Params {
  queries: u32,
  keys: u32,
  heads: u32,
  kv_heads: u32,
  head_dim: u32,
  query_start: u32,
  scale: f32,
}

const MAX_HEAD_DIM: u32 = 128u;
const KT: u32 = 16u; // keys per tile: 2 tiles · 16 · 128 · 4 bytes = 16 KiB of workgroup memory
override QB: u32 = 64; // queries per workgroup (one per invocation)

@group(0) @binding(0) var<storage, read> q: array<f32>;         // [queries, heads·head_dim]
@group(0) @binding(1) var<storage, read> k: array<f32>;         // [≥keys, kv_heads·head_dim]
@group(0) @binding(2) var<storage, read> v: array<f32>;         // [≥keys, kv_heads·head_dim]
@group(0) @binding(3) var<storage, read_write> out: array<f32>; // [queries, heads·head_dim]
@group(0) @binding(4) var<uniform> params: Params;

var<workgroup> k_tile: array<f32, KT * MAX_HEAD_DIM>; // [KT, head_dim]
var<workgroup> v_tile: array<f32, KT * MAX_HEAD_DIM>; // [KT, head_dim]

@compute @workgroup_size(QB)
fn attention_prefill(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let h = wid.y;
  let block_start = wid.x * QB;
  let i = block_start + lid; // this invocation's query
  let has_query = i < params.queries;
  let head_dim = params.head_dim;
  let kv_width = params.kv_heads * head_dim;
  let kv_offset = (h / (params.heads / params.kv_heads)) * head_dim;
  let q_base = i * params.heads * head_dim + h * head_dim;

  var q_row: array<f32, MAX_HEAD_DIM>; // [head_dim], pre-scaled
  var acc: array<f32, MAX_HEAD_DIM>;   // [head_dim] running Σ exp(score − m) · v
  if (has_query) {
    for (var c = 0u; c < head_dim; c++) { q_row[c] = q[q_base + c] * params.scale; }
  }
  let last = last_visible_key(params.query_start, min(i, params.queries - 1u), params.keys);
  let block_last = last_visible_key(params.query_start, min(block_start + QB, params.queries) - 1u, params.keys);
  var m = NEG_BIG;
  var l = 0.0;
  for (var j0 = 0u; j0 <= block_last; j0 += KT) {
    let tile_rows = min(KT, block_last + 1u - j0);
    for (var e = lid; e < tile_rows * head_dim; e += QB) {
      let row = (j0 + e / head_dim) * kv_width + kv_offset + e % head_dim;
      k_tile[e] = k[row];
      v_tile[e] = v[row];
    }
    workgroupBarrier();
    if (has_query && j0 <= last) {
      let visible = min(tile_rows, last + 1u - j0);
      var scores: array<f32, KT>; // [visible]
      var tile_max = NEG_BIG;
      for (var t = 0u; t < visible; t++) {
        var dot = 0.0;
        for (var c = 0u; c < head_dim; c++) { dot = fma(q_row[c], k_tile[t * head_dim + c], dot); }
        scores[t] = dot;
        tile_max = max(tile_max, dot);
      }
      let m_new = max(m, tile_max);
      let correction = exp(m - m_new);
      l *= correction;
      for (var c = 0u; c < head_dim; c++) { acc[c] *= correction; }
      for (var t = 0u; t < visible; t++) {
        let p = exp(scores[t] - m_new);
        l += p;
        for (var c = 0u; c < head_dim; c++) { acc[c] = fma(p, v_tile[t * head_dim + c], acc[c]); }
      }
      m = m_new;
    }
    workgroupBarrier();
  }
  if (has_query) {
    for (var c = 0u; c < head_dim; c++) { out[q_base + c] = acc[c] / l; }
  }
}
