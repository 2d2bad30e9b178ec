/**
 * Plain reference of the fused attention input (qkv.wgsl), composed from the plain references of
 * each step (the projection, bias, rope).
 */
import type { RopeParams } from '../ops.ts';
import { ropeReference } from './rope.ts';

/** What the fused attention input produces: rotated q, and the rows written to the caches. */
export interface AttentionInputResult {
  q: Float32Array; // [m, qWidth] rope(q)
  k: Float32Array; // [m, kvWidth] rope(k)
  v: Float32Array; // [m, kvWidth]
}

/**
 * The attention input of a LLaMA layer (qkv.wgsl): [q | k | v] = `projected` + bias (projected:
 * h [m, k] · Wᵀ for W = Wq, Wk, Wv stacked by rows, e.g. from linearReference), then rope on q and
 * k at positions rope.positionStart…
 */
export function attentionInputReference(
  all: Float32Array, // [m, qWidth + 2·kvWidth] h · Wᵀ
  m: number,
  bias: Float32Array | null, // [qWidth + 2·kvWidth]
  widths: { q: number; kv: number },
  rope: RopeParams,
): AttentionInputResult {
  const stacked = widths.q + 2 * widths.kv;
  const part = (start: number, width: number) => {
    const out = new Float32Array(m * width); // [m, width]
    for (let r = 0; r < m; r++) {
      for (let c = 0; c < width; c++) {
        out[r * width + c] = all[r * stacked + start + c] + (bias ? bias[start + c] : 0);
      }
    }
    return out;
  };
  return {
    q: ropeReference(part(0, widths.q), m, widths.q, rope),
    k: ropeReference(part(widths.q, widths.kv), m, widths.kv, rope),
    v: part(widths.q + widths.kv, widths.kv),
  };
}
