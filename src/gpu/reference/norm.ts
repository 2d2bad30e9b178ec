/**
 * Plain-loop row normalisations over the last dimension: LayerNorm (mean/variance, biased
 * variance as in PyTorch) and RMSNorm (LLaMA). Statistics are computed in f64.
 */

/** Mean and 1 / sqrt(biased variance + eps) of one row (LayerNorm's statistics, as PyTorch). */
export function rowMoments(
  row: Float32Array, // [d]
  eps: number,
): { mean: number; inverseStd: number } {
  const d = row.length;
  let mean = 0;
  for (let c = 0; c < d; c++) mean += row[c];
  mean /= d;
  let variance = 0;
  for (let c = 0; c < d; c++) variance += (row[c] - mean) ** 2;
  return { mean, inverseStd: 1 / Math.sqrt(variance / d + eps) };
}

/** LayerNorm: out[r] = (x[r] − mean) / sqrt(var + eps) · gamma + beta, for x [m, d]. */
export function layerNormReference(
  x: Float32Array, // [m, d]
  gamma: Float32Array, // [d]
  beta: Float32Array, // [d]
  m: number,
  d: number,
  eps: number,
): Float32Array {
  const out = new Float32Array(m * d); // [m, d]
  for (let r = 0; r < m; r++) {
    const row = x.subarray(r * d, (r + 1) * d); // [d]
    const { mean, inverseStd } = rowMoments(row, eps);
    for (let c = 0; c < d; c++) out[r * d + c] = (row[c] - mean) * inverseStd * gamma[c] + beta[c];
  }
  return out;
}

/** RMSNorm: out[r] = x[r] / sqrt(mean(x[r]²) + eps) · weight, for x [m, d]. */
export function rmsNormReference(
  x: Float32Array, // [m, d]
  weight: Float32Array, // [d]
  m: number,
  d: number,
  eps: number,
): Float32Array {
  const out = new Float32Array(m * d); // [m, d]
  for (let r = 0; r < m; r++) {
    let squares = 0;
    for (let c = 0; c < d; c++) squares += x[r * d + c] ** 2;
    const inv = 1 / Math.sqrt(squares / d + eps);
    for (let c = 0; c < d; c++) out[r * d + c] = x[r * d + c] * inv * weight[c];
  }
  return out;
}
