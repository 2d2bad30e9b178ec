/**
 * Plain references of the kernels that fold RMSNorm into the following matvec (linear.wgsl and
 * matvec_q.wgsl with NORM, qkv.wgsl), composed from the plain references of each step.
 */
import type { RopeParams } from '../ops.ts';
import { rmsNormReference } from './norm.ts';
import { ropeReference } from './rope.ts';

/** RMSNorm x [m, k] with `weight` [k] and `eps`, then `project` it (e.g. linearReference) → [m, n]. */
export function normThenReference(
  x: Float32Array, // [m, k]
  m: number,
  k: number,
  norm: { weight: Float32Array; eps: number }, // weight [k]
  project: (h: Float32Array) => Float32Array, // h [m, k] → [m, n]
): Float32Array {
  return project(rmsNormReference(x, norm.weight, m, k, norm.eps));
}

/** What the fused attention input produces: rotated q, and the rows written to the caches. */
export interface AttentionInputResult {
  q: Float32Array; // [m, qWidth] rope(q)
  k: Float32Array; // [m, kvWidth] rope(k)
  v: Float32Array; // [m, kvWidth]
}

/**
 * The attention input of a LLaMA layer (qkv.wgsl): h = rmsNorm(x), [q | k | v] = project(h) + bias
 * (project: h · Wᵀ for W = Wq, Wk, Wv stacked by rows), then rope on q and k at positions
 * rope.positionStart…
 */
export function attentionInputReference(
  x: Float32Array, // [m, k]
  m: number,
  k: number,
  norm: { weight: Float32Array; eps: number }, // weight [k]
  project: (h: Float32Array) => Float32Array, // h [m, k] → [m, qWidth + 2·kvWidth]
  bias: Float32Array | null, // [qWidth + 2·kvWidth]
  widths: { q: number; kv: number },
  rope: RopeParams,
): AttentionInputResult {
  const all = normThenReference(x, m, k, norm, project); // [m, qWidth + 2·kvWidth]
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
