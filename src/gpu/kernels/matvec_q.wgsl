// Shared body of the quantized Linear kernels (matvec_q8_0.wgsl, matvec_q4_0.wgsl append the
// entry point and the constant QUANT; the block decoders are in quant_blocks.wgsl):
//   out[m, col_offset + c] = Σ_k x[m, k] · W[c, k] + bias[col_offset + c] → relu → + residual[…]
// W [n, K] is one row chunk of a weight in GGUF's block layout (K/32 blocks per row, rows after
// each other), bound as u32 words. Each block is decoded once into integers q and its scale d,
// then applied to TM rows of x as d · Σ_j q_j · x_j (f32 accumulation, no f16 arithmetic).
// One invocation computes TM rows × 1 column; weights bigger than one binding are split by rows
// into chunks, one dispatch per chunk (col_offset, out_stride).
// GATED (the LLaMA feed-forward's gate and up projections fused with SwiGLU): binding 2 holds the
// up weight's chunk (same layout as w) instead of a bias and
// out = silu(x·Wᵀ) · (x·Upᵀ) (no bias/relu/residual).

struct Params {
  m: u32,
  k: u32,
  n: u32,
  out_stride: u32,
  col_offset: u32,
  has_bias: u32,
  relu: u32,
  has_residual: u32,
}

const MAX_TM: u32 = 4u;
override TM: u32 = 4;  // rows of x per invocation, 1..MAX_TM
override WG: u32 = 64;
override GATED: bool = false;

@group(0) @binding(0) var<storage, read> x: array<f32>;         // [M, K]
@group(0) @binding(1) var<storage, read> w: array<u32>;         // [N · K/32 · block bytes / 4] blocks
@group(0) @binding(2) var<storage, read> aux: array<u32>;       // f32 bias [out_stride] (if has_bias) or GATED: up blocks like w
@group(0) @binding(3) var<storage, read> residual: array<f32>;  // [M, out_stride] (ignored unless has_residual)
@group(0) @binding(4) var<storage, read_write> out: array<f32>; // [M, out_stride]
@group(0) @binding(5) var<uniform> params: Params;

// Word `i` of the weight chunk, or of the up weight's chunk when `up` (read by quant_blocks.wgsl).
fn weight_word(i: u32, up: bool) -> u32 {
  if (up) { return aux[i]; }
  return w[i];
}

fn matvec_q_run(wid: vec3u, nwg: vec3u, lid: u32) {
  let row_tiles = (params.m + TM - 1u) / TM;
  let task = flat_index(wid, nwg, lid, WG);
  let c = task / row_tiles;
  let r0 = (task % row_tiles) * TM;
  if (c >= params.n) { return; }
  let last_row = min(params.m - 1u, r0 + TM - 1u);
  let blocks = params.k / 32u;
  var acc: array<f32, MAX_TM>;    // [TM]
  var acc_up: array<f32, MAX_TM>; // [TM] x·Upᵀ (GATED only)
  var q: array<f32, 32>;          // [32] integer parts of one block
  var qu: array<f32, 32>;         // [32] the up block's (GATED only)
  for (var b = 0u; b < blocks; b++) {
    let at = (c * blocks + b) * block_bytes();
    let d = decode_block(at, false, &q);
    var du = 0.0;
    if (GATED) { du = decode_block(at, true, &qu); }
    for (var i = 0u; i < TM; i++) {
      let base = min(r0 + i, last_row) * params.k + b * 32u;
      var s = 0.0;
      var su = 0.0;
      for (var j = 0u; j < 32u; j++) {
        s = fma(q[j], x[base + j], s);
        if (GATED) { su = fma(qu[j], x[base + j], su); }
      }
      acc[i] = fma(d, s, acc[i]);
      if (GATED) { acc_up[i] = fma(du, su, acc_up[i]); }
    }
  }
  let col = params.col_offset + c;
  for (var i = 0u; i < TM; i++) {
    let row = r0 + i;
    if (row < params.m) {
      var value = acc[i];
      if (GATED) {
        out[row * params.out_stride + col] = swiglu_value(value, acc_up[i]);
        continue;
      }
      if (params.has_bias != 0u) { value += bitcast<f32>(aux[col]); }
      if (params.relu != 0u) { value = max(value, 0.0); }
      if (params.has_residual != 0u) { value += residual[row * params.out_stride + col]; }
      out[row * params.out_stride + col] = value;
    }
  }
}
