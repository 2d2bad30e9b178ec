/**
 * `SimdGemm`: C = A · Bᵀ through the WebAssembly SIMD kernel of `wasm-gemm.ts`. Operands are
 * strided row views of ordinary Float32Arrays; they are copied into the module's memory with zero
 * padding (k to a multiple of 4, A to an even row count, B to a multiple of 4 rows) and the result
 * is copied out, so callers keep plain arrays. The copies cost O(m·k + n·k + m·n) against the
 * O(m·n·k) product: worth it from a few rows on (see `SIMD_MIN_ROWS`), or for any row count when
 * B is a large weight kept resident in module memory (`keep`; see `SIMD_RESIDENT_MIN`).
 */
import { gemmModuleBytes } from './wasm-gemm.ts';

/** Row view of a matrix: row r is data[offset + r·stride … + cols). */
export interface MatrixView {
  data: Float32Array; // [≥ offset + (rows − 1)·stride + cols]
  offset: number;
  stride: number;
}

/** Fewest output rows for which the SIMD path beats the JavaScript loops (copies included). */
export const SIMD_MIN_ROWS = 4;

/** Fewest weight values for which a weight is kept resident, so single rows use SIMD too. */
export const SIMD_RESIDENT_MIN = 32768;

const PAGE_BYTES = 65536;
type GemmFunction = (...args: number[]) => void;

const roundUp = (value: number, step: number) => Math.ceil(value / step) * step;

/** Copies `rows` rows of `cols` values from `view` into heap[base…] with row stride `paddedCols`. */
function copyIn(
  heap: Float32Array, // wasm memory
  base: number,
  view: MatrixView,
  rows: number,
  cols: number,
  paddedRows: number,
  paddedCols: number,
): void {
  if (paddedCols !== cols || paddedRows !== rows) heap.fill(0, base, base + paddedRows * paddedCols);
  if (paddedCols === cols && view.stride === cols) {
    heap.set(view.data.subarray(view.offset, view.offset + rows * cols), base);
    return;
  }
  for (let r = 0; r < rows; r++) {
    const from = view.offset + r * view.stride;
    heap.set(view.data.subarray(from, from + cols), base + r * paddedCols);
  }
}

/** Matrix products on WebAssembly SIMD; one instance owns one module memory. */
export class SimdGemm {
  readonly #memory: WebAssembly.Memory;
  readonly #gemm: GemmFunction;
  #heap: Float32Array; // view of #memory, renewed when it grows
  readonly #resident = new Map<Float32Array, { base: number; rows: number; cols: number }>(); // kept B matrices
  #residentEnd = 0; // floats used by resident matrices; scratch starts here

  private constructor(instance: WebAssembly.Instance) {
    this.#memory = instance.exports.mem as WebAssembly.Memory;
    this.#gemm = instance.exports.gemm as GemmFunction;
    this.#heap = new Float32Array(this.#memory.buffer);
  }

  /** A SimdGemm, or null where WebAssembly SIMD is missing (callers use their JavaScript loops). */
  static create(): SimdGemm | null {
    try {
      const bytes = gemmModuleBytes();
      if (typeof WebAssembly === 'undefined' || !WebAssembly.validate(bytes)) return null;
      return new SimdGemm(new WebAssembly.Instance(new WebAssembly.Module(bytes)));
    } catch {
      return null;
    }
  }

  #reserve(floats: number): Float32Array {
    const needed = floats * 4 - this.#memory.buffer.byteLength;
    if (needed > 0) this.#memory.grow(Math.ceil(needed / PAGE_BYTES));
    if (this.#heap.buffer !== this.#memory.buffer) this.#heap = new Float32Array(this.#memory.buffer);
    return this.#heap;
  }

  /**
   * Keep a copy of the dense matrix `data` [rows, cols] in module memory, so products with it as
   * B skip the copy-in (a weight used by every request, e.g. the item table for scoring). The
   * caller must `forget` it before changing or recycling `data`.
   */
  keep(data: Float32Array, rows: number, cols: number): void {
    if (this.#resident.has(data)) return;
    const kp = roundUp(Math.max(cols, 1), 4);
    const np = roundUp(rows, 4);
    const heap = this.#reserve(this.#residentEnd + np * kp);
    copyIn(heap, this.#residentEnd, { data, offset: 0, stride: cols }, rows, cols, np, kp);
    this.#resident.set(data, { base: this.#residentEnd, rows, cols });
    this.#residentEnd += np * kp;
  }

  /** Whether `data` has a resident copy. */
  keeps(data: Float32Array): boolean {
    return this.#resident.has(data);
  }

  /** Drop the resident copy of `data` (its space is reclaimed once no resident copy is left). */
  forget(data: Float32Array): void {
    if (this.#resident.delete(data) && this.#resident.size === 0) this.#residentEnd = 0;
  }

  /** Module-memory offset of B's padded rows: its resident copy, or a fresh copy at `scratch`. */
  #placeB(b: MatrixView, n: number, k: number, scratch: number, np: number, kp: number): number {
    const kept = this.#resident.get(b.data);
    if (kept && b.offset === 0 && b.stride === k && kept.cols === k && kept.rows === n) return kept.base;
    copyIn(this.#heap, scratch, b, n, k, np, kp);
    return scratch;
  }

  /**
   * out[i, j] = Σ_p a[i, p] · b[j, p] for i < m, j < n, p < k (f32 sums), written to
   * out.data[out.offset + i·out.stride + j].
   */
  multiply(a: MatrixView, b: MatrixView, out: MatrixView, m: number, n: number, k: number): void {
    if (m === 0 || n === 0) return;
    const kp = roundUp(Math.max(k, 1), 4);
    const mp = roundUp(m, 2);
    const np = roundUp(n, 4);
    const aBase = this.#residentEnd; // scratch: [A mp×kp | B np×kp | C mp×np] after the resident matrices
    const bScratch = aBase + mp * kp;
    const cBase = bScratch + np * kp;
    const heap = this.#reserve(cBase + mp * np);
    copyIn(heap, aBase, a, m, k, mp, kp);
    const bBase = this.#placeB(b, n, k, bScratch, np, kp);
    this.#gemm(aBase * 4, kp * 4, bBase * 4, kp * 4, cBase * 4, np * 4, mp, np, kp * 4);
    for (let i = 0; i < m; i++) {
      const from = cBase + i * np;
      out.data.set(heap.subarray(from, from + n), out.offset + i * out.stride);
    }
  }
}
