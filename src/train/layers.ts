/**
 * Hand-written backward passes of the layers SASRec uses, for the in-page trainer (plain loops over
 * Float32Array, row-major, PyTorch conventions: a Linear weight is [out, in] and y = x·Wᵀ + b).
 * Forward passes that need to keep intermediate values for their backward live here too; the plain
 * Linear forward is the reference kernel's (src/gpu/reference/linear.ts). Gradients flowing back
 * through the layers are kept in f64 (sums that cancel lose too much in f32); weights stay f32.
 */
import { rowMoments } from '../gpu/reference/norm.ts';

/** Activations or gradients: f32 from the forward, f64 on the way back. */
export type Values = Float32Array | Float64Array;

/** Gradients of a Linear layer: dX is returned, dW and dB are accumulated (+=). */
export function linearBackward(
  dy: Values, // [m, out]
  x: Float32Array, // [m, in]
  w: Float32Array, // [out, in]
  dw: Float32Array, // [out, in] accumulated
  db: Float32Array | null, // [out] accumulated
  m: number,
  inDim: number,
  outDim: number,
): Float64Array {
  const dx = new Float64Array(m * inDim); // [m, in]
  for (let r = 0; r < m; r++) {
    const xr = r * inDim;
    for (let o = 0; o < outDim; o++) {
      const g = dy[r * outDim + o];
      if (g === 0) continue;
      if (db) db[o] += g;
      const wo = o * inDim;
      for (let i = 0; i < inDim; i++) {
        dx[xr + i] += g * w[wo + i];
        dw[wo + i] += g * x[xr + i];
      }
    }
  }
  return dx;
}

/** What a LayerNorm forward keeps for its backward. */
export interface LayerNormCache {
  normalized: Float32Array; // [m, d] (x − mean) / std
  inverseStd: Float64Array; // [m]
}

/** LayerNorm over the last dimension (biased variance, as PyTorch); returns the output and the cache. */
export function layerNormForward(
  x: Float32Array, // [m, d]
  gamma: Float32Array, // [d]
  beta: Float32Array, // [d]
  m: number,
  d: number,
  eps: number,
): { out: Float32Array; cache: LayerNormCache } {
  const out = new Float32Array(m * d); // [m, d]
  const normalized = new Float32Array(m * d); // [m, d]
  const inverseStd = new Float64Array(m); // [m]
  for (let r = 0; r < m; r++) {
    const { mean, inverseStd: inv } = rowMoments(x.subarray(r * d, (r + 1) * d), eps);
    inverseStd[r] = inv;
    for (let c = 0; c < d; c++) {
      const n = (x[r * d + c] - mean) * inv;
      normalized[r * d + c] = n;
      out[r * d + c] = n * gamma[c] + beta[c];
    }
  }
  return { out, cache: { normalized, inverseStd } };
}

/** LayerNorm backward: returns dX; dGamma and dBeta are accumulated. */
export function layerNormBackward(
  dy: Values, // [m, d]
  cache: LayerNormCache,
  gamma: Float32Array, // [d]
  dGamma: Float32Array, // [d] accumulated
  dBeta: Float32Array, // [d] accumulated
  m: number,
  d: number,
): Float64Array {
  const dx = new Float64Array(m * d); // [m, d]
  const dn = new Float64Array(d); // [d] gradient w.r.t. the normalized row
  for (let r = 0; r < m; r++) {
    let meanDn = 0;
    let meanDnN = 0;
    for (let c = 0; c < d; c++) {
      const g = dy[r * d + c];
      const n = cache.normalized[r * d + c];
      dGamma[c] += g * n;
      dBeta[c] += g;
      dn[c] = g * gamma[c];
      meanDn += dn[c];
      meanDnN += dn[c] * n;
    }
    meanDn /= d;
    meanDnN /= d;
    const inv = cache.inverseStd[r];
    for (let c = 0; c < d; c++) {
      dx[r * d + c] = inv * (dn[c] - meanDn - cache.normalized[r * d + c] * meanDnN);
    }
  }
  return dx;
}

/** Causal multi-head attention shapes: L rows, model width d split into `heads` heads. */
export interface AttentionShape {
  rows: number;
  d: number;
  heads: number;
}

/**
 * Causal scaled dot-product attention (query i sees keys 0..i) per head; returns the output and
 * the softmax weights before dropout (kept for the backward).
 */
export function causalAttentionForward(
  q: Float32Array, // [L, d]
  k: Float32Array, // [L, d]
  v: Float32Array, // [L, d]
  shape: AttentionShape,
  dropMask: Float32Array | null = null, // [heads, L, L] dropout on the weights, or none
): { out: Float32Array; weights: Float32Array } {
  const { rows: L, d, heads } = shape;
  const hd = d / heads;
  const scale = 1 / Math.sqrt(hd);
  const out = new Float32Array(L * d); // [L, d]
  const weights = new Float32Array(heads * L * L); // [heads, L, L], lower triangle used
  const logits = new Float64Array(L); // [L] scratch
  for (let h = 0; h < heads; h++) {
    const c0 = h * hd;
    for (let i = 0; i < L; i++) {
      let max = -Infinity;
      for (let j = 0; j <= i; j++) {
        let dot = 0;
        for (let c = c0; c < c0 + hd; c++) dot += q[i * d + c] * k[j * d + c];
        logits[j] = dot * scale;
        if (logits[j] > max) max = logits[j];
      }
      let total = 0;
      for (let j = 0; j <= i; j++) total += logits[j] = Math.exp(logits[j] - max);
      const row = (h * L + i) * L;
      for (let j = 0; j <= i; j++) {
        weights[row + j] = logits[j] / total;
        const a = dropMask ? weights[row + j] * dropMask[row + j] : weights[row + j];
        for (let c = c0; c < c0 + hd; c++) out[i * d + c] += a * v[j * d + c];
      }
    }
  }
  return { out, weights };
}

/** Backward of `causalAttentionForward`: gradients of q, k and v. */
export function causalAttentionBackward(
  dOut: Values, // [L, d]
  q: Float32Array, // [L, d]
  k: Float32Array, // [L, d]
  v: Float32Array, // [L, d]
  weights: Float32Array, // [heads, L, L] before dropout
  shape: AttentionShape,
  dropMask: Float32Array | null = null, // [heads, L, L] the forward's dropout mask
): { dq: Float64Array; dk: Float64Array; dv: Float64Array } {
  const { rows: L, d, heads } = shape;
  const hd = d / heads;
  const scale = 1 / Math.sqrt(hd);
  const dq = new Float64Array(L * d); // [L, d]
  const dk = new Float64Array(L * d); // [L, d]
  const dv = new Float64Array(L * d); // [L, d]
  const dWeights = new Float64Array(L); // [L] scratch: dLoss/dA[i, j]
  for (let h = 0; h < heads; h++) {
    const c0 = h * hd;
    for (let i = 0; i < L; i++) {
      const row = (h * L + i) * L;
      let weighted = 0; // Σ_j A_ij · dA_ij
      for (let j = 0; j <= i; j++) {
        const a = weights[row + j];
        const m = dropMask ? dropMask[row + j] : 1;
        let dot = 0;
        for (let c = c0; c < c0 + hd; c++) {
          dot += dOut[i * d + c] * v[j * d + c];
          dv[j * d + c] += a * m * dOut[i * d + c];
        }
        dWeights[j] = dot * m;
        weighted += a * dWeights[j];
      }
      for (let j = 0; j <= i; j++) {
        const dLogit = weights[row + j] * (dWeights[j] - weighted) * scale;
        if (dLogit === 0) continue;
        for (let c = c0; c < c0 + hd; c++) {
          dq[i * d + c] += dLogit * k[j * d + c];
          dk[j * d + c] += dLogit * q[i * d + c];
        }
      }
    }
  }
  return { dq, dk, dv };
}
