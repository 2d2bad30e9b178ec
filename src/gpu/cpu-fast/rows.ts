/**
 * Fast row-wise ops on the CPU that write into a caller-provided output (pooled, may hold
 * garbage): embedding gather, LayerNorm / RMSNorm, element-wise add. Same contracts as the
 * oracles in `../reference/{embed,norm,elementwise}.ts`; statistics are JavaScript doubles.
 */

/** out [n, d] = table[ids[i]] · scale + pos[posStart + i] (pos [P, d] optional); table [rows, d]. */
export function embedInto(
  out: Float32Array, // [n, d]
  table: Float32Array, // [rows, d]
  d: number,
  ids: Int32Array, // [n]
  scale: number,
  pos: Float32Array | null, // [P, d]
  posStart: number,
): void {
  for (let i = 0; i < ids.length; i++) {
    const from = ids[i] * d;
    const to = i * d;
    if (pos) {
      const posAt = (posStart + i) * d;
      for (let c = 0; c < d; c++) out[to + c] = table[from + c] * scale + pos[posAt + c];
    } else {
      for (let c = 0; c < d; c++) out[to + c] = table[from + c] * scale;
    }
  }
}

/**
 * Row-wise normalisation of x [m, d] into out [m, d]: LayerNorm when `beta` is given
 * ((x − mean) / sqrt(var + eps) · gamma + beta), RMSNorm when it is null (x / sqrt(mean(x²) + eps) · gamma).
 */
export function normInto(
  out: Float32Array, // [m, d]
  x: Float32Array, // [m, d]
  gamma: Float32Array, // [d]
  beta: Float32Array | null, // [d]
  m: number,
  d: number,
  eps: number,
): void {
  for (let r = 0; r < m; r++) {
    const at = r * d;
    let mean = 0;
    if (beta) {
      for (let c = 0; c < d; c++) mean += x[at + c];
      mean /= d;
    }
    let squares = 0;
    for (let c = 0; c < d; c++) {
      const centred = x[at + c] - mean;
      squares += centred * centred;
    }
    const inv = 1 / Math.sqrt(squares / d + eps);
    if (beta) {
      for (let c = 0; c < d; c++) out[at + c] = (x[at + c] - mean) * inv * gamma[c] + beta[c];
    } else {
      for (let c = 0; c < d; c++) out[at + c] = x[at + c] * inv * gamma[c];
    }
  }
}

/** out = a + b element by element (same length). */
export function addInto(
  out: Float32Array, // [size]
  a: Float32Array, // [size]
  b: Float32Array, // [size]
): void {
  for (let i = 0; i < a.length; i++) out[i] = a[i] + b[i];
}
