/**
 * Fast scaled dot-product attention on the CPU, the same contract as `attentionReference`
 * (causal + key-padding mask, grouped-query heads, softmax with the max subtracted), without any
 * per-row allocation: the caller lends a score scratch [≥ keys] and an accumulator [headDim].
 * Four queries at a time share every key and value load (values transposed once per kv head, so
 * each output column is a contiguous dot product); leftover and decode queries (fewer than four)
 * take a single-query path that sums value rows.
 */
import type { AttentionParams } from '../ops.ts';
import { lastVisibleKey } from '../reference/attention.ts';

/** Queries handled together by the blocked path (they share every key and value load). */
const BLOCK = 4;

/** Reusable scratch for `attentionInto`; grows on demand, never shrinks. */
export class AttentionScratch {
  scores = new Float64Array(BLOCK * 256); // [BLOCK, ≥ keys] softmax weights of a query block
  acc = new Float64Array(64); // [≥ headDim]
  valuesT = new Float32Array(64 * 256); // [headDim, ≥ keys] one kv head's values, transposed
  readonly totals = new Float64Array(BLOCK); // [BLOCK] softmax denominators of a query block
  probabilities = new Float32Array(0); // [rows, ≥ keys] softmax weights of a row block (SIMD path)

  /** Make sure the arrays fit `keys` keys of width `headDim`. */
  reserve(keys: number, headDim: number): void {
    if (this.scores.length < BLOCK * keys) this.scores = new Float64Array(BLOCK * keys);
    if (this.acc.length < headDim) this.acc = new Float64Array(headDim);
    if (this.valuesT.length < headDim * keys) this.valuesT = new Float32Array(headDim * keys);
  }

  /** Make sure `probabilities` fits `rows` rows of `keys` weights. */
  reserveProbabilities(rows: number, keys: number): void {
    if (this.probabilities.length < rows * keys) this.probabilities = new Float32Array(rows * keys);
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

/** Layout of one head's problem: where its q/k/v/out columns start and the row widths. */
export interface HeadView {
  qWidth: number; // heads·headDim
  kvWidth: number; // kvHeads·headDim
  qOffset: number; // h·headDim
  kvOffset: number; // kv head · headDim
  headDim: number;
  keys: number; // valid key rows, also the row stride of the transposed values
}

/** One query of one head: scores, softmax and a row-wise sum of value rows. */
function singleQuery(
  out: Float32Array, // [queries, heads·headDim]
  q: Float32Array, // [queries, heads·headDim]
  k: Float32Array, // [≥keys, kvHeads·headDim]
  v: Float32Array, // [≥keys, kvHeads·headDim]
  i: number,
  last: number,
  scale: number,
  view: HeadView,
  scratch: AttentionScratch,
): void {
  const { qWidth, kvWidth, qOffset, kvOffset, headDim } = view;
  const { scores, acc } = scratch; // [≥ keys], [≥ headDim]
  const qAt = i * qWidth + qOffset;
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

/**
 * Queries i..i+3 of one head (their last visible keys ascend): four dot products per key row
 * load, softmax per query (weights past a query's own last key are 0), then each output column as
 * four dot products against one row of the transposed values.
 */
function queryBlock(
  out: Float32Array, // [queries, heads·headDim]
  q: Float32Array, // [queries, heads·headDim]
  k: Float32Array, // [≥keys, kvHeads·headDim]
  i: number,
  p: AttentionParams,
  view: HeadView,
  scratch: AttentionScratch,
): void {
  const { qWidth, kvWidth, qOffset, kvOffset, headDim } = view;
  const { scores, valuesT, totals } = scratch; // [BLOCK, span], [headDim, keys], [BLOCK]
  const { scale } = p;
  const span = lastVisibleKey(p, i + BLOCK - 1) + 1; // keys seen by the block's last query
  const q0 = i * qWidth + qOffset;
  const q1 = q0 + qWidth;
  const q2 = q1 + qWidth;
  const q3 = q2 + qWidth;
  for (let j = 0; j < span; j++) {
    const kAt = j * kvWidth + kvOffset;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let c = 0; c < headDim; c++) {
      const kc = k[kAt + c];
      s0 += q[q0 + c] * kc;
      s1 += q[q1 + c] * kc;
      s2 += q[q2 + c] * kc;
      s3 += q[q3 + c] * kc;
    }
    scores[j] = s0 * scale;
    scores[span + j] = s1 * scale;
    scores[2 * span + j] = s2 * scale;
    scores[3 * span + j] = s3 * scale;
  }
  for (let a = 0; a < BLOCK; a++) {
    const row = a * span;
    const last = lastVisibleKey(p, i + a);
    let max = -Infinity;
    for (let j = 0; j <= last; j++) if (scores[row + j] > max) max = scores[row + j];
    let total = 0;
    for (let j = 0; j <= last; j++) total += scores[row + j] = Math.exp(scores[row + j] - max);
    scores.fill(0, row + last + 1, row + span);
    totals[a] = total;
  }
  for (let c = 0; c < headDim; c++) {
    const vAt = c * view.keys;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let j = 0; j < span; j++) {
      const vj = valuesT[vAt + j];
      s0 += scores[j] * vj;
      s1 += scores[span + j] * vj;
      s2 += scores[2 * span + j] * vj;
      s3 += scores[3 * span + j] * vj;
    }
    out[q0 + c] = s0 / totals[0];
    out[q1 + c] = s1 / totals[1];
    out[q2 + c] = s2 / totals[2];
    out[q3 + c] = s3 / totals[3];
  }
}

/** The layout of head `h` of problem `p`. */
export function headView(p: AttentionParams, h: number): HeadView {
  const { heads, kvHeads, headDim } = p;
  return {
    qWidth: heads * headDim,
    kvWidth: kvHeads * headDim,
    qOffset: h * headDim,
    kvOffset: Math.floor(h / (heads / kvHeads)) * headDim,
    headDim,
    keys: p.keys,
  };
}

/** Copies the `keys` value rows of one kv head into valuesT [headDim, keys]. */
export function transposeValues(
  valuesT: Float32Array, // [headDim, keys]
  v: Float32Array, // [≥keys, kvHeads·headDim]
  view: HeadView,
): void {
  const { keys, kvWidth, kvOffset, headDim } = view;
  for (let j = 0; j < keys; j++) {
    const vAt = j * kvWidth + kvOffset;
    for (let c = 0; c < headDim; c++) valuesT[c * keys + j] = v[vAt + c];
  }
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
  const group = heads / kvHeads;
  scratch.reserve(p.keys, headDim);
  for (let h = 0; h < heads; h++) {
    const view = headView(p, h);
    let i = 0;
    // The transposed values serve every query block of this head (and of the heads sharing its kv head).
    if (queries >= BLOCK && h % group === 0) transposeValues(scratch.valuesT, v, view);
    for (; i + BLOCK <= queries; i += BLOCK) queryBlock(out, q, k, i, p, view, scratch);
    for (; i < queries; i++) singleQuery(out, q, k, v, i, lastVisibleKey(p, i), scale, view, scratch);
  }
}
