/**
 * Plain-loop fully connected layer in PyTorch's convention: y = x · wᵀ + bias, then ReLU if asked,
 * then + residual. Sums are accumulated in f64 and rounded once, so this is the exact oracle.
 */

/** Options of `linearReference`; the order of application is bias → relu → residual. */
export interface LinearReferenceOptions {
  bias?: Float32Array | null; // [n]
  relu?: boolean;
  residual?: Float32Array | null; // [m, n]
}

/** out [m, n] = x [m, k] · wᵀ (w [n, k]) + bias [n] → relu? → + residual [m, n]. */
export function linearReference(
  x: Float32Array, // [m, k]
  w: Float32Array, // [n, k]
  m: number,
  k: number,
  n: number,
  opts: LinearReferenceOptions = {},
): Float32Array {
  const out = new Float32Array(m * n); // [m, n]
  for (let row = 0; row < m; row++) {
    for (let col = 0; col < n; col++) {
      let sum = opts.bias ? opts.bias[col] : 0;
      for (let i = 0; i < k; i++) sum += x[row * k + i] * w[col * k + i];
      if (opts.relu && sum < 0) sum = 0;
      if (opts.residual) sum += opts.residual[row * n + col];
      out[row * n + col] = sum;
    }
  }
  return out;
}
