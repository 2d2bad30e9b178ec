/**
 * Attention for many queries (a prefill) as two matrix products on WebAssembly SIMD, per head and
 * per block of ROWS queries: scores = Q·Kᵀ over the keys the block can see (causal: the block's
 * last query bounds the span), a row-wise masked softmax here, then out = P·V with V transposed
 * once per kv head. Same contract as `attentionInto` (./attention.ts); sums are f32.
 */
import type { AttentionParams } from '../ops.ts';
import { lastVisibleKey } from '../reference/attention.ts';
import { type AttentionScratch, headView, transposeValues } from './attention.ts';
import type { SimdGemm } from './simd-gemm.ts';

/** Queries per block: small enough that causal spans stay tight, large enough to amortise copies. */
const ROWS = 32;

/**
 * Weights below e^−46 ≈ 1e−20 of the row's largest (whose weight is 1) are stored as 0: they
 * cannot change an f32 sum ≥ 1, and as f32 they could be subnormal, which WebAssembly SIMD does
 * not flush: multiplying subnormals is many times slower on x86 (measured: attention 1 → 4 ms on
 * a random-weight SASRec whose softmax rows are very peaked).
 */
const NEGLIGIBLE_LOGIT = -46;

/**
 * Softmax of rows i0..i0+rows-1 of the block's scores [rows, span] in place (scaled, masked past
 * each query's last visible key); returns nothing, writes each row's denominator to `totals`.
 */
function softmaxRows(
  scores: Float32Array, // [rows, span]
  totals: Float64Array, // [rows]
  p: AttentionParams,
  i0: number,
  rows: number,
  span: number,
): void {
  for (let r = 0; r < rows; r++) {
    const at = r * span;
    const last = lastVisibleKey(p, i0 + r);
    let max = -Infinity;
    for (let j = 0; j <= last; j++) {
      const s = scores[at + j] * p.scale;
      scores[at + j] = s;
      if (s > max) max = s;
    }
    let total = 0;
    for (let j = 0; j <= last; j++) {
      const logit = scores[at + j] - max;
      const weight = logit < NEGLIGIBLE_LOGIT ? 0 : Math.exp(logit);
      scores[at + j] = weight;
      total += weight;
    }
    scores.fill(0, at + last + 1, at + span);
    totals[r] = total;
  }
}

/** Writes out [queries, heads·headDim] = softmax(q·kᵀ·scale, masked) · v; `out` may hold garbage. */
export function attentionSimdInto(
  out: Float32Array, // [queries, heads·headDim]
  q: Float32Array, // [queries, heads·headDim]
  k: Float32Array, // [≥keys, kvHeads·headDim]
  v: Float32Array, // [≥keys, kvHeads·headDim]
  p: AttentionParams,
  scratch: AttentionScratch,
  simd: SimdGemm,
): void {
  const { queries, heads, kvHeads, headDim } = p;
  const group = heads / kvHeads;
  scratch.reserve(p.keys, headDim);
  scratch.reserveProbabilities(ROWS, p.keys);
  const probabilities = scratch.probabilities; // [ROWS, ≥ keys]
  const totals = new Float64Array(ROWS); // [ROWS]
  for (let h = 0; h < heads; h++) {
    const view = headView(p, h);
    if (h % group === 0) transposeValues(scratch.valuesT, v, view); // [headDim, keys]
    for (let i0 = 0; i0 < queries; i0 += ROWS) {
      const rows = Math.min(ROWS, queries - i0);
      const span = lastVisibleKey(p, i0 + rows - 1) + 1;
      const qRows = { data: q, offset: i0 * view.qWidth + view.qOffset, stride: view.qWidth };
      const keyRows = { data: k, offset: view.kvOffset, stride: view.kvWidth };
      const block = { data: probabilities, offset: 0, stride: span };
      simd.multiply(qRows, keyRows, block, rows, span, headDim); // scores [rows, span]
      softmaxRows(probabilities, totals, p, i0, rows, span);
      const valueRows = { data: scratch.valuesT, offset: 0, stride: p.keys }; // Vᵀ rows = value columns
      const outRows = { data: out, offset: qRows.offset, stride: view.qWidth };
      simd.multiply(block, valueRows, outRows, rows, headDim, span); // Σ_j weight · v_j [rows, headDim]
      for (let r = 0; r < rows; r++) {
        const at = outRows.offset + r * view.qWidth;
        for (let c = 0; c < headDim; c++) out[at + c] /= totals[r];
      }
    }
  }
}
