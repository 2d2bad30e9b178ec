/**
 * Fast scaled dot-product attention on the CPU, the same contract as `attentionReference`
 * (causal + key-padding mask, grouped-query heads, softmax with the max subtracted), without any
 * per-row allocation: the caller lends a score scratch [≥ keys] and an accumulator [headDim].
 * Values are accumulated row by row (v[j] is contiguous), not column by column as in the oracle.
 */
import type { AttentionParams } from '../ops.ts';
import { lastVisibleKey } from '../reference/attention.ts';

/** Reusable scratch for `attentionInto`; grows on demand, never shrinks. */
export class AttentionScratch {
  scores = new Float64Array(256); // [≥ keys]
  acc = new Float64Array(64); // [≥ headDim]

  /** Make sure the arrays hold at least `keys` scores and `headDim` accumulators. */
  reserve(keys: number, headDim: number): void {
    if (this.scores.length < keys) this.scores = new Float64Array(keys);
    if (this.acc.length < headDim) this.acc = new Float64Array(headDim);
  }
}

/** Dot product of `len` values at a[aAt..] and b[bAt..], unrolled by four. */
function dot(a: Float32Array, aAt: number, b: Float32Array, bAt: number, len: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let c = 0;
  for (; c + 4 <= len; c += 4) {
    s0 += a[aAt + c] * b[bAt + c];
    s1 += a[aAt + c + 1] * b[bAt + c + 1];
    s2 += a[aAt + c + 2] * b[bAt + c + 2];
    s3 += a[aAt + c + 3] * b[bAt + c + 3];
  }
  for (; c < len; c++) s0 += a[aAt + c] * b[bAt + c];
  return s0 + s1 + (s2 + s3);
}

/** Writes out [queries, heads·headDim] = softmax(q·kᵀ·scale, masked) · v; `out` may hold garbage. */
export function attentionInto(
  out: Float32Array, // [queries, heads·headDim]
  q: Float32Array, // [queries, heads·headDim]
  k: Float32Array, // [≥keys, kvHeads·headDim]
  v: Float32Array, // [≥keys, kvHeads·headDim]
  p: AttentionParams,
  scratch: AttentionScratch,
): void {
  const { queries, heads, kvHeads, headDim, scale } = p;
  const qWidth = heads * headDim;
  const kvWidth = kvHeads * headDim;
  const group = heads / kvHeads;
  scratch.reserve(p.keys, headDim);
  const scores = scratch.scores; // [≥ keys]
  const acc = scratch.acc; // [≥ headDim]
  for (let i = 0; i < queries; i++) {
    const last = lastVisibleKey(p, i);
    for (let h = 0; h < heads; h++) {
      const qAt = i * qWidth + h * headDim;
      const kvOffset = Math.floor(h / group) * headDim;
      let max = -Infinity;
      for (let j = 0; j <= last; j++) {
        const s = dot(q, qAt, k, j * kvWidth + kvOffset, headDim) * scale;
        scores[j] = s;
        if (s > max) max = s;
      }
      let total = 0;
      acc.fill(0, 0, headDim);
      for (let j = 0; j <= last; j++) {
        const weight = Math.exp(scores[j] - max);
        total += weight;
        const vAt = j * kvWidth + kvOffset;
        for (let c = 0; c < headDim; c++) acc[c] += weight * v[vAt + c];
      }
      for (let c = 0; c < headDim; c++) out[qAt + c] = acc[c] / total;
    }
  }
}
