/**
 * Shape validation shared by every TensorOps backend, so CPU and WebGPU reject bad input with the
 * same named error and the same message. Each `check*` returns the dimensions the op needs.
 */
import type { AttentionParams, RopeParams } from './ops.ts';

/** A tensor shape or op argument does not fit what the op expects. */
export class ShapeError extends Error {
  override readonly name = 'ShapeError';
}

/** A tensor was used after `release()` gave its storage back. */
export class ReleasedTensorError extends Error {
  override readonly name = 'ReleasedTensorError';
  constructor(label: string) {
    super(`tensor "${label}" was used after release(); keep it alive until its last use`);
  }
}

/** Largest k that `topK` supports on every backend (the GPU kernel keeps k candidates per lane). */
export const TOP_K_MAX = 256;

/** Number of elements of a shape; throws for negative or non-integer dimensions. */
export function shapeSize(shape: readonly number[]): number {
  let size = 1;
  for (const dim of shape) {
    if (!Number.isInteger(dim) || dim < 0) {
      throw new ShapeError(`shape [${shape.join(', ')}] has a bad dimension ${dim}; use integers ≥ 0`);
    }
    size *= dim;
  }
  return size;
}

/** Checks that `shape` is 2-D and returns [rows, cols]. */
export function expectMatrix(what: string, shape: readonly number[]): [number, number] {
  if (shape.length !== 2) {
    throw new ShapeError(`${what} must be 2-D [rows, cols], got [${shape.join(', ')}]`);
  }
  shapeSize(shape);
  return [shape[0], shape[1]];
}

/** Checks that `shape` is [n] or [1, n] (a vector such as a bias or a score row) and returns n. */
export function expectVector(what: string, shape: readonly number[]): number {
  if (shape.length === 1) return shapeSize(shape);
  if (shape.length === 2 && shape[0] === 1) return shapeSize(shape);
  throw new ShapeError(`${what} must be a vector [n] or [1, n], got [${shape.join(', ')}]`);
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((dim, i) => dim === b[i]);
}

/** Checks that `got` equals `want`. */
export function expectShape(what: string, got: readonly number[], want: readonly number[]): void {
  if (!sameShape(got, want)) {
    throw new ShapeError(`${what} must have shape [${want.join(', ')}], got [${got.join(', ')}]`);
  }
}

/** Checks `data.length` against a shape for `upload`. */
export function checkUpload(length: number, shape: readonly number[]): void {
  const size = shapeSize(shape);
  if (length !== size) {
    throw new ShapeError(`upload: data has ${length} values but shape [${shape.join(', ')}] needs ${size}`);
  }
}

/** Dimensions of an `embed` call: n ids of width d. */
export interface EmbedDims {
  rows: number;
  d: number;
  n: number;
}

/** Validates `embed(table [rows, d], ids, scale, pos [P, d] | null, posStart)`. */
export function checkEmbed(
  table: readonly number[],
  ids: Int32Array,
  pos: readonly number[] | null,
  posStart: number,
): EmbedDims {
  const [rows, d] = expectMatrix('embed table', table);
  ids.forEach((id, i) => {
    if (id < 0 || id >= rows) {
      throw new ShapeError(`embed: ids[${i}] = ${id} is outside the table's rows 0..${rows - 1}`);
    }
  });
  if (pos) {
    const [posRows] = expectMatrix('embed pos', pos);
    expectShape('embed pos', pos, [posRows, d]);
    if (!Number.isInteger(posStart) || posStart < 0 || posStart + ids.length > posRows) {
      throw new ShapeError(
        `embed: positions ${posStart}..${posStart + ids.length - 1} do not fit the ${posRows}-row position table`,
      );
    }
  }
  return { rows, d, n: ids.length };
}

/** Dimensions of a `linear` call: x [m, k] · wᵀ (w [n, k]). */
export interface LinearDims {
  m: number;
  k: number;
  n: number;
}

/** Validates `linear(x [M, K], w [N, K], bias [N] | null, residual [M, N] | undefined)`. */
export function checkLinear(
  x: readonly number[],
  w: readonly number[],
  bias: readonly number[] | null,
  residual: readonly number[] | undefined,
): LinearDims {
  const [m, k] = expectMatrix('linear x', x);
  const [n, wk] = expectMatrix('linear w', w);
  if (wk !== k) {
    throw new ShapeError(`linear: w is [${n}, ${wk}] but x has ${k} columns; w must be [out, ${k}]`);
  }
  if (bias && expectVector('linear bias', bias) !== n) {
    throw new ShapeError(`linear: bias has ${shapeSize(bias)} values, expected ${n} (one per output)`);
  }
  if (residual) expectShape('linear residual', residual, [m, n]);
  return { m, k, n };
}

/** Validates `layerNorm(x [M, d], gamma [d], beta [d])` (or RMSNorm without beta); returns [M, d]. */
export function checkNorm(
  x: readonly number[],
  gamma: readonly number[],
  beta: readonly number[] | null,
): [number, number] {
  const [m, d] = expectMatrix('norm x', x);
  if (expectVector('norm gamma', gamma) !== d) {
    throw new ShapeError(`norm: gamma has ${shapeSize(gamma)} values, expected ${d}`);
  }
  if (beta && expectVector('norm beta', beta) !== d) {
    throw new ShapeError(`norm: beta has ${shapeSize(beta)} values, expected ${d}`);
  }
  return [m, d];
}

/** Validates `writeRows(dst [capacity, w], rowStart, src [n, w])`; returns [n, w]. */
export function checkWriteRows(
  dst: readonly number[],
  rowStart: number,
  src: readonly number[],
): [number, number] {
  const [capacity, width] = expectMatrix('writeRows dst', dst);
  const [n, srcWidth] = expectMatrix('writeRows src', src);
  if (srcWidth !== width) throw new ShapeError(`writeRows: src width ${srcWidth} ≠ dst width ${width}`);
  checkRowRange('writeRows', rowStart, n, capacity);
  return [n, width];
}

/** Validates `sliceRows(x [M, w], rowStart, n)`; returns [n, w]. */
export function checkSliceRows(x: readonly number[], rowStart: number, n: number): [number, number] {
  const [rows, width] = expectMatrix('sliceRows x', x);
  checkRowRange('sliceRows', rowStart, n, rows);
  return [n, width];
}

function checkRowRange(op: string, rowStart: number, n: number, rows: number): void {
  if (!Number.isInteger(rowStart) || !Number.isInteger(n) || rowStart < 0 || n < 0 || rowStart + n > rows) {
    throw new ShapeError(
      `${op}: rows ${rowStart}..${rowStart + n - 1} do not fit a tensor with ${rows} rows`,
    );
  }
}

/** Validates the attention inputs against `p`. */
export function checkAttention(
  q: readonly number[],
  k: readonly number[],
  v: readonly number[],
  p: AttentionParams,
): void {
  const { queries, keys, heads, kvHeads, headDim, queryStart } = p;
  for (const [key, value] of Object.entries({ queries, keys, heads, kvHeads, headDim })) {
    if (!Number.isInteger(value) || value < 1) {
      throw new ShapeError(`attention: ${key} = ${value}; it must be an integer ≥ 1`);
    }
  }
  if (!Number.isInteger(queryStart) || queryStart < 0) {
    throw new ShapeError(`attention: queryStart = ${queryStart}; it must be an integer ≥ 0`);
  }
  if (heads % kvHeads !== 0) {
    throw new ShapeError(`attention: heads (${heads}) must be a multiple of kvHeads (${kvHeads})`);
  }
  if (!Number.isFinite(p.scale)) throw new ShapeError(`attention: scale = ${p.scale}; pass 1/sqrt(headDim)`);
  expectShape('attention q', q, [queries, heads * headDim]);
  const [kRows] = expectMatrix('attention k', k);
  expectShape('attention k', k, [kRows, kvHeads * headDim]);
  expectShape('attention v', v, [kRows, kvHeads * headDim]);
  if (kRows < keys) throw new ShapeError(`attention: keys = ${keys} but k/v hold only ${kRows} rows`);
}

/** Validates `topK(scores [1, n], k)`; returns n. */
export function checkTopK(scores: readonly number[], k: number): number {
  const n = expectVector('topK scores', scores);
  if (!Number.isInteger(k) || k < 1 || k > TOP_K_MAX) {
    throw new ShapeError(`topK: k = ${k}; it must be an integer in 1..${TOP_K_MAX}`);
  }
  return n;
}

/**
 * Validates `attentionInput`: x [m, k], wqkv [qWidth + 2·kvWidth, k] (kvWidth = the caches' width),
 * bias [qWidth + 2·kvWidth] or null, whole heads of rope.headDim, rows cacheRow..cacheRow+m-1 in
 * the caches; returns the dimensions.
 */
export function checkAttentionInput(
  x: readonly number[],
  wqkv: readonly number[],
  bias: readonly number[] | null,
  cache: readonly number[],
  p: { rope: RopeParams; cacheRow: number },
): { m: number; k: number; qWidth: number; kvWidth: number } {
  const [m, k] = expectMatrix('attentionInput x', x);
  const [rows, cols] = expectMatrix('attentionInput wqkv', wqkv);
  const [capacity, kvWidth] = expectMatrix('attentionInput key cache', cache);
  const qWidth = rows - 2 * kvWidth;
  const head = p.rope.headDim;
  if (cols !== k) throw new ShapeError(`attentionInput: wqkv has ${cols} columns, x has ${k}`);
  if (!(qWidth > 0) || head < 2 || head % 2 !== 0 || qWidth % head !== 0 || kvWidth % head !== 0) {
    throw new ShapeError(
      `attentionInput: wqkv rows ${rows} = q ${qWidth} + 2 × kv ${kvWidth} must be whole heads of an even headDim ${head}`,
    );
  }
  if (bias) expectShape('attentionInput bias', bias, [rows]);
  if (!Number.isInteger(p.cacheRow) || p.cacheRow < 0 || p.cacheRow + m > capacity) {
    throw new ShapeError(
      `attentionInput: cache rows ${p.cacheRow}..${p.cacheRow + m - 1} do not fit ${capacity}`,
    );
  }
  return { m, k, qWidth, kvWidth };
}
