/**
 * Fast fully connected layer on the CPU: out = x · wᵀ + bias → relu? → + residual, the same
 * contract as `linearReference` (PyTorch's [out, in] weight layout, so each weight row is
 * contiguous). Speed comes from reuse, not from a different algorithm:
 *  - a 4-row × 2-column register tile: four input rows share every weight value they read and
 *    two weight rows share every input value (8 independent multiply-add chains, 6 loads);
 *  - a single leftover row instead takes four weight rows at a time, sharing each x[i] load
 *    (the scoring matvec: h [1, d] against the item table);
 *  - sums are JavaScript doubles, rounded to f32 once on store (as in the reference);
 *  - from SIMD_MIN_ROWS rows on (or for weights kept in its memory), WebAssembly SIMD
 *    (./simd-gemm.ts) when the caller passes it.
 */
import { SIMD_MIN_ROWS, type SimdGemm } from './simd-gemm.ts';

/** Optional parts of a linear layer, applied in the order bias → relu → residual. */
export interface LinearEpilogue {
  bias: Float32Array | null; // [n]
  relu: boolean;
  residual: Float32Array | null; // [m, n]
}

/** out[row, col] from the raw dot product `sum`, with bias, relu and residual applied. */
function finish(
  out: Float32Array, // [m, n]
  n: number,
  row: number,
  col: number,
  sum: number,
  e: LinearEpilogue,
): void {
  let value = e.bias ? sum + e.bias[col] : sum;
  if (e.relu && value < 0) value = 0;
  if (e.residual) value += e.residual[row * n + col];
  out[row * n + col] = value;
}

/** Output rows row..row+3, columns col and col+1: each weight value feeds four sums, each x value two. */
function fourRowsTwoCols(
  out: Float32Array, // [m, n]
  x: Float32Array, // [m, k]
  w: Float32Array, // [n, k]
  row: number,
  col: number,
  k: number,
  n: number,
  e: LinearEpilogue,
): void {
  const x0 = row * k;
  const x1 = x0 + k;
  const x2 = x1 + k;
  const x3 = x2 + k;
  const wa = col * k;
  const wb = wa + k;
  let a0 = 0;
  let a1 = 0;
  let a2 = 0;
  let a3 = 0;
  let b0 = 0;
  let b1 = 0;
  let b2 = 0;
  let b3 = 0;
  for (let i = 0; i < k; i++) {
    const wai = w[wa + i];
    const wbi = w[wb + i];
    const y0 = x[x0 + i];
    const y1 = x[x1 + i];
    const y2 = x[x2 + i];
    const y3 = x[x3 + i];
    a0 += y0 * wai;
    a1 += y1 * wai;
    a2 += y2 * wai;
    a3 += y3 * wai;
    b0 += y0 * wbi;
    b1 += y1 * wbi;
    b2 += y2 * wbi;
    b3 += y3 * wbi;
  }
  finish(out, n, row, col, a0, e);
  finish(out, n, row + 1, col, a1, e);
  finish(out, n, row + 2, col, a2, e);
  finish(out, n, row + 3, col, a3, e);
  finish(out, n, row, col + 1, b0, e);
  finish(out, n, row + 1, col + 1, b1, e);
  finish(out, n, row + 2, col + 1, b2, e);
  finish(out, n, row + 3, col + 1, b3, e);
}

/** Output rows row..row+3, column col (the odd last column). */
function fourRowsOneCol(
  out: Float32Array, // [m, n]
  x: Float32Array, // [m, k]
  w: Float32Array, // [n, k]
  row: number,
  col: number,
  k: number,
  n: number,
  e: LinearEpilogue,
): void {
  const x0 = row * k;
  const wRow = col * k;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  for (let i = 0; i < k; i++) {
    const wi = w[wRow + i];
    s0 += x[x0 + i] * wi;
    s1 += x[x0 + k + i] * wi;
    s2 += x[x0 + 2 * k + i] * wi;
    s3 += x[x0 + 3 * k + i] * wi;
  }
  finish(out, n, row, col, s0, e);
  finish(out, n, row + 1, col, s1, e);
  finish(out, n, row + 2, col, s2, e);
  finish(out, n, row + 3, col, s3, e);
}

/** One output row: four weight rows at a time share each x[i]; leftover columns one by one. */
function oneRow(
  out: Float32Array, // [m, n]
  x: Float32Array, // [m, k]
  w: Float32Array, // [n, k]
  row: number,
  k: number,
  n: number,
  e: LinearEpilogue,
): void {
  const xRow = row * k;
  let col = 0;
  for (; col + 4 <= n; col += 4) {
    const w0 = col * k;
    const w1 = w0 + k;
    const w2 = w1 + k;
    const w3 = w2 + k;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let i = 0; i < k; i++) {
      const xi = x[xRow + i];
      s0 += xi * w[w0 + i];
      s1 += xi * w[w1 + i];
      s2 += xi * w[w2 + i];
      s3 += xi * w[w3 + i];
    }
    finish(out, n, row, col, s0, e);
    finish(out, n, row, col + 1, s1, e);
    finish(out, n, row, col + 2, s2, e);
    finish(out, n, row, col + 3, s3, e);
  }
  for (; col < n; col++) {
    const wRow = col * k;
    let sum = 0;
    for (let i = 0; i < k; i++) sum += x[xRow + i] * w[wRow + i];
    finish(out, n, row, col, sum, e);
  }
}

/** Applies bias → relu → residual in place to the raw products out [m, n]. */
function applyEpilogue(out: Float32Array, m: number, n: number, e: LinearEpilogue): void {
  if (!e.bias && !e.relu && !e.residual) return;
  for (let row = 0; row < m; row++) {
    for (let col = 0; col < n; col++) finish(out, n, row, col, out[row * n + col], e);
  }
}

/**
 * Writes out [m, n] = x [m, k] · wᵀ (w [n, k]) + bias → relu? → + residual; `out` may hold garbage.
 * With `simd` (WebAssembly SIMD available) and at least SIMD_MIN_ROWS rows, or a weight it keeps
 * resident, the products run there (f32 sums) and only the epilogue runs here.
 */
export function linearInto(
  out: Float32Array, // [m, n]
  x: Float32Array, // [m, k]
  w: Float32Array, // [n, k]
  m: number,
  k: number,
  n: number,
  epilogue: LinearEpilogue,
  simd: SimdGemm | null = null,
): void {
  if (simd && (m >= SIMD_MIN_ROWS || simd.keeps(w))) {
    simd.multiply(
      { data: x, offset: 0, stride: k },
      { data: w, offset: 0, stride: k },
      { data: out, offset: 0, stride: n },
      m,
      n,
      k,
    );
    applyEpilogue(out, m, n, epilogue);
    return;
  }
  let row = 0;
  for (; row + 4 <= m; row += 4) {
    let col = 0;
    for (; col + 2 <= n; col += 2) fourRowsTwoCols(out, x, w, row, col, k, n, epilogue);
    if (col < n) fourRowsOneCol(out, x, w, row, col, k, n, epilogue);
  }
  for (; row < m; row++) oneRow(out, x, w, row, k, n, epilogue);
}
