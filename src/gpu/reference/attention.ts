/**
 * Plain-loop scaled dot-product attention: the oracle of the shared attention core.
 *
 * Query i sits at absolute row queryStart + i; it sees keys 0..min(queryStart + i, keys − 1)
 * (causal mask + key-padding mask: rows ≥ keys are never read). Query head h reads key/value head
 * floor(h / (heads / kvHeads)) (grouped-query attention). Softmax in f64 with the max subtracted.
 */
import type { AttentionParams } from '../ops.ts';

/** Index of the last key that query `i` may attend to. */
export function lastVisibleKey(p: AttentionParams, i: number): number {
  return Math.min(p.queryStart + i, p.keys - 1);
}

/** q [queries, heads·headDim], k/v [≥keys, kvHeads·headDim] → out [queries, heads·headDim]. */
export function attentionReference(
  q: Float32Array, // [queries, heads·headDim]
  k: Float32Array, // [≥keys, kvHeads·headDim]
  v: Float32Array, // [≥keys, kvHeads·headDim]
  p: AttentionParams,
): Float32Array {
  const { queries, heads, kvHeads, headDim, scale } = p;
  const qWidth = heads * headDim;
  const kvWidth = kvHeads * headDim;
  const group = heads / kvHeads;
  const out = new Float32Array(queries * qWidth); // [queries, heads·headDim]
  for (let i = 0; i < queries; i++) {
    const last = lastVisibleKey(p, i);
    for (let h = 0; h < heads; h++) {
      const qOffset = i * qWidth + h * headDim;
      const kvOffset = Math.floor(h / group) * headDim;
      const scores = new Float64Array(last + 1); // [visible keys]
      let max = -Infinity;
      for (let j = 0; j <= last; j++) {
        let dot = 0;
        for (let c = 0; c < headDim; c++) dot += q[qOffset + c] * k[j * kvWidth + kvOffset + c];
        scores[j] = dot * scale;
        max = Math.max(max, scores[j]);
      }
      let total = 0;
      for (let j = 0; j <= last; j++) {
        scores[j] = Math.exp(scores[j] - max);
        total += scores[j];
      }
      for (let c = 0; c < headDim; c++) {
        let sum = 0;
        for (let j = 0; j <= last; j++) sum += scores[j] * v[j * kvWidth + kvOffset + c];
        out[qOffset + c] = sum / total;
      }
    }
  }
  return out;
}
