/**
 * Plain-loop references for the quantized matrix-vector kernels (matvec_q8_0.wgsl,
 * matvec_q4_0.wgsl): out [m, n] = x [m, k] · Wᵀ where W [n, k] is stored in GGUF's block layouts.
 * Also the block decoder the CPU backends and the host-side embedding gather use.
 *
 * GGUF blocks hold 32 consecutive values of one row:
 *  - Q8_0 (34 bytes): f16 scale d, then 32 int8 q; value = q · d.
 *  - Q4_0 (18 bytes): f16 scale d, then 16 bytes; byte j holds value j in its low nibble and value
 *    j + 16 in its high nibble, each an unsigned 4-bit q; value = (q − 8) · d.
 */
import { f16ToF32 } from '../../llm/load/gguf-types.ts';

/** The block-quantized types the kernels read. */
export type QuantType = 'Q8_0' | 'Q4_0';

/** Values per block (both types). */
export const QUANT_BLOCK = 32;

/** Bytes per block of each type. */
export const QUANT_BLOCK_BYTES: Record<QuantType, number> = { Q8_0: 34, Q4_0: 18 };

/** A row-major matrix [rows, cols] kept in its GGUF block layout (cols a multiple of 32). */
export interface QuantizedMatrix {
  readonly type: QuantType;
  readonly rows: number;
  readonly cols: number;
  /** rows · cols/32 blocks, row after row */
  readonly bytes: Uint8Array; // [rows · cols/32 · blockBytes]
}

/** The quantized matrix has a shape or byte length that does not fit its type. */
export class QuantizedMatrixError extends Error {
  override readonly name = 'QuantizedMatrixError';
}

/** Bytes of one row of `q`. */
export function quantRowBytes(type: QuantType, cols: number): number {
  return (cols / QUANT_BLOCK) * QUANT_BLOCK_BYTES[type];
}

/** Throws QuantizedMatrixError unless cols is a multiple of 32 and the bytes fill rows exactly. */
export function checkQuantizedMatrix(q: QuantizedMatrix, what = 'quantized matrix'): QuantizedMatrix {
  if (!(q.type in QUANT_BLOCK_BYTES)) {
    throw new QuantizedMatrixError(`${what}: type ${String(q.type)}; expected Q8_0 or Q4_0`);
  }
  if (
    !Number.isInteger(q.rows) ||
    q.rows < 1 ||
    !Number.isInteger(q.cols) ||
    q.cols % QUANT_BLOCK !== 0 ||
    q.cols < 1
  ) {
    throw new QuantizedMatrixError(
      `${what}: shape [${q.rows}, ${q.cols}]; expected positive rows and columns a multiple of ${QUANT_BLOCK}`,
    );
  }
  const want = q.rows * quantRowBytes(q.type, q.cols);
  if (q.bytes.byteLength !== want) {
    throw new QuantizedMatrixError(
      `${what}: ${q.bytes.byteLength} bytes for ${q.type} [${q.rows}, ${q.cols}]; expected ${want}`,
    );
  }
  return q;
}

/**
 * Decodes block `block` of `bytes` into `out[0..32)` as integers q (Q8_0) or q − 8 (Q4_0) and
 * returns the block's scale d, so value j = out[j] · d.
 */
export function decodeQuantBlock(
  type: QuantType,
  bytes: Uint8Array,
  block: number,
  out: Float32Array,
): number {
  const at = block * QUANT_BLOCK_BYTES[type];
  const scale = f16ToF32(bytes[at] | (bytes[at + 1] << 8));
  if (type === 'Q8_0') {
    for (let j = 0; j < 32; j++) out[j] = (bytes[at + 2 + j] << 24) >> 24; // sign-extend int8
  } else {
    for (let j = 0; j < 16; j++) {
      const byte = bytes[at + 2 + j];
      out[j] = (byte & 0x0f) - 8;
      out[j + 16] = (byte >> 4) - 8;
    }
  }
  return scale;
}

/** Rows `ids` of `q`, dequantized: [ids.length, cols] (the embedding gather of a quantized table). */
export function dequantizeRows(q: QuantizedMatrix, ids: ArrayLike<number>): Float32Array {
  const blocksPerRow = q.cols / QUANT_BLOCK;
  const out = new Float32Array(ids.length * q.cols); // [ids.length, cols]
  const values = new Float32Array(QUANT_BLOCK); // [32]
  for (let i = 0; i < ids.length; i++) {
    const row = ids[i];
    if (!Number.isInteger(row) || row < 0 || row >= q.rows) {
      throw new QuantizedMatrixError(`row ${row} is outside the quantized matrix's ${q.rows} rows`);
    }
    for (let b = 0; b < blocksPerRow; b++) {
      const d = decodeQuantBlock(q.type, q.bytes, row * blocksPerRow + b, values);
      for (let j = 0; j < QUANT_BLOCK; j++) out[i * q.cols + b * QUANT_BLOCK + j] = values[j] * d;
    }
  }
  return out;
}

/** The whole matrix dequantized: [rows, cols]. */
export function dequantizeMatrix(q: QuantizedMatrix): Float32Array {
  return dequantizeRows(
    q,
    Array.from({ length: q.rows }, (_, i) => i),
  );
}

/**
 * out [m, n] = x [m, k] · Wᵀ (W = q, [n, k]) + bias [n] → relu → + residual [m, n], accumulating
 * each block as d · Σ_j q_j · x_j (as the kernels do), in f64.
 */
export function matvecQuantReference(
  x: Float32Array, // [m, k]
  q: QuantizedMatrix, // [n, k]
  m: number,
  opts: { bias?: Float32Array; relu?: boolean; residual?: Float32Array } = {},
): Float32Array {
  const { rows: n, cols: k } = q;
  const blocksPerRow = k / QUANT_BLOCK;
  const out = new Float32Array(m * n); // [m, n]
  const values = new Float32Array(QUANT_BLOCK); // [32]
  const scales = new Float64Array(n * blocksPerRow); // [n, k/32]
  const ints = new Float32Array(n * k); // [n, k] integer parts
  for (let b = 0; b < n * blocksPerRow; b++) {
    scales[b] = decodeQuantBlock(q.type, q.bytes, b, values);
    ints.set(values, b * QUANT_BLOCK);
  }
  for (let r = 0; r < m; r++) {
    for (let c = 0; c < n; c++) {
      let sum = 0;
      for (let b = 0; b < blocksPerRow; b++) {
        let block = 0;
        for (let j = 0; j < QUANT_BLOCK; j++) {
          block += ints[c * k + b * QUANT_BLOCK + j] * x[r * k + b * QUANT_BLOCK + j];
        }
        sum += block * scales[c * blocksPerRow + b];
      }
      if (opts.bias) sum += opts.bias[c];
      if (opts.relu) sum = Math.max(sum, 0);
      if (opts.residual) sum += opts.residual[r * n + c];
      out[r * n + c] = sum;
    }
  }
  return out;
}
