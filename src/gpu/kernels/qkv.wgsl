// The attention input of a LLaMA layer in one dispatch, f32 weights (QUANT = 0) or GGUF Q8_0 / Q4_0
// blocks (QUANT = 1 / 2, decoded by quant_blocks.wgsl), for h = the attention-normed x:
//   [q | k | v] = h · Wᵀ + bias                  (W: Wq, Wk, Wv stacked by rows)
//   out = rope(q);  key_cache[cache_row + i] = rope(k_i);  value_cache[cache_row + i] = v_i
// The stacked rows are whole heads: q_width = heads · head_dim rows of q, then kv_width of k and of v.
// One invocation computes one pair of output columns for TM rows of h — a RoPE pair of a q or k
// head ((2j, 2j+1), or (j, j + head_dim/2) with neox) or two adjacent v columns — so it rotates
// what it computed itself. Quantized weights larger than one binding are split by rows into chunks
// of whole heads, one dispatch per chunk (chunk_row, chunk_rows); f32 weights are one chunk.

struct Params {
  m: u32,              // rows of h (tokens)
  k: u32,              // K: width of h
  q_width: u32,        // heads · head_dim
  kv_width: u32,       // kv_heads · head_dim
  head_dim: u32,       // even
  chunk_row: u32,      // stacked row of this chunk's first row (a multiple of head_dim)
  chunk_rows: u32,     // rows in this chunk (a multiple of head_dim)
  has_bias: u32,
  position_start: u32, // position of h's row 0
  cache_row: u32,      // cache row that h's row 0 goes to
  theta: f32,          // rope base
  neox: u32,           // 1: pairs (j, j + head_dim/2); 0: adjacent pairs
  scaled: u32,         // 1: divide pair j's frequency by factors[j]; 0: factors is a dummy binding
}

const MAX_TM: u32 = 4u;
override TM: u32 = 4;    // rows of h per invocation, 1..MAX_TM
override WG: u32 = 64;
override QUANT: u32 = 0; // 0: f32 weights; 1: Q8_0; 2: Q4_0

@group(0) @binding(0) var<storage, read> h: array<f32>;                 // [M, K]
@group(0) @binding(1) var<storage, read> w: array<u32>;                 // [chunk_rows, K] f32 bits, or its blocks
@group(0) @binding(2) var<storage, read> bias: array<f32>;              // [q_width + 2·kv_width] (if has_bias)
@group(0) @binding(3) var<storage, read> factors: array<f32>;           // [head_dim/2] (if scaled)
@group(0) @binding(4) var<storage, read_write> out: array<f32>;         // [M, q_width] rope(q)
@group(0) @binding(5) var<storage, read_write> key_cache: array<f32>;   // [≥ cache_row + M, kv_width]
@group(0) @binding(6) var<storage, read_write> value_cache: array<f32>; // [≥ cache_row + M, kv_width]
@group(0) @binding(7) var<uniform> params: Params;

// Word `i` of the weight chunk (read by quant_blocks.wgsl; there is no up weight here).
fn weight_word(i: u32, up: bool) -> u32 {
  return w[i];
}

// Dot products of TM rows of h with two rows of the chunk.
struct PairDots {
  first: array<f32, MAX_TM>,  // [TM] h · w[row1]
  second: array<f32, MAX_TM>, // [TM] h · w[row2]
}

// f32 weights: chunk rows `row1`, `row2` against rows r0..r0+TM-1 of h (clamped to last_row).
fn dots_f32(row1: u32, row2: u32, r0: u32, last_row: u32) -> PairDots {
  var d: PairDots;
  for (var kk = 0u; kk < params.k; kk++) {
    let w1 = bitcast<f32>(w[row1 * params.k + kk]);
    let w2 = bitcast<f32>(w[row2 * params.k + kk]);
    for (var i = 0u; i < TM; i++) {
      let a = h[min(r0 + i, last_row) * params.k + kk];
      d.first[i] = fma(a, w1, d.first[i]);
      d.second[i] = fma(a, w2, d.second[i]);
    }
  }
  return d;
}

// Quantized weights: each block of the two rows is decoded once and applied to TM rows of h.
fn dots_quant(row1: u32, row2: u32, r0: u32, last_row: u32) -> PairDots {
  var d: PairDots;
  var q1: array<f32, 32>; // [32] integer parts of row1's block
  var q2: array<f32, 32>; // [32] row2's
  let blocks = params.k / 32u;
  for (var b = 0u; b < blocks; b++) {
    let d1 = decode_block((row1 * blocks + b) * block_bytes(), false, &q1);
    let d2 = decode_block((row2 * blocks + b) * block_bytes(), false, &q2);
    for (var i = 0u; i < TM; i++) {
      let base = min(r0 + i, last_row) * params.k + b * 32u;
      var s1 = 0.0;
      var s2 = 0.0;
      for (var j = 0u; j < 32u; j++) {
        s1 = fma(q1[j], h[base + j], s1);
        s2 = fma(q2[j], h[base + j], s2);
      }
      d.first[i] = fma(d1, s1, d.first[i]);
      d.second[i] = fma(d2, s2, d.second[i]);
    }
  }
  return d;
}

@compute @workgroup_size(WG)
fn qkv(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u,
       @builtin(local_invocation_index) lid: u32) {
  let half = params.head_dim / 2u;
  let row_tiles = (params.m + TM - 1u) / TM;
  let task = flat_index(wid, nwg, lid, WG);
  let unit = task / row_tiles; // column pair inside the chunk
  let r0 = (task % row_tiles) * TM;
  if (unit >= params.chunk_rows / 2u) { return; }
  let last_row = min(params.m - 1u, r0 + TM - 1u);
  let j = unit % half; // pair index inside its head
  let head_row = (unit / half) * params.head_dim; // the head's first row, chunk-local
  let v_start = params.q_width + params.kv_width;
  let is_v = params.chunk_row + head_row >= v_start;
  let pair = rope_pair(j, params.head_dim, params.neox == 1u && !is_v);
  let row1 = head_row + pair.x; // chunk-local rows of W = output columns
  let row2 = row1 + pair.y;
  var d: PairDots;
  if (QUANT == 0u) { d = dots_f32(row1, row2, r0, last_row); } else { d = dots_quant(row1, row2, r0, last_row); }
  let col = params.chunk_row + row1; // stacked output column of the pair's first member
  var bias1 = 0.0;
  var bias2 = 0.0;
  if (params.has_bias != 0u) {
    bias1 = bias[col];
    bias2 = bias[col + pair.y];
  }
  var factor = 1.0;
  if (params.scaled == 1u) { factor = factors[j]; }
  for (var i = 0u; i < TM; i++) {
    let row = r0 + i;
    if (row >= params.m) { break; }
    var value = vec2f(d.first[i] + bias1, d.second[i] + bias2);
    let cache_at = (params.cache_row + row) * params.kv_width;
    if (is_v) {
      value_cache[cache_at + col - v_start] = value.x;
      value_cache[cache_at + col - v_start + pair.y] = value.y;
      continue;
    }
    let cs = rope_cos_sin(params.position_start + row, j, params.head_dim, params.theta, factor);
    value = rotate_pair(value.x, value.y, cs);
    if (col < params.q_width) {
      out[row * params.q_width + col] = value.x;
      out[row * params.q_width + col + pair.y] = value.y;
    } else {
      key_cache[cache_at + col - params.q_width] = value.x;
      key_cache[cache_at + col - params.q_width + pair.y] = value.y;
    }
  }
}
