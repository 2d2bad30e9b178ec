/**
 * Quantized Linear on the GPU (matvec_q.wgsl + the block decoders of quant_blocks.wgsl, entry
 * points in matvec_q8_0.wgsl and matvec_q4_0.wgsl): params, row-chunk planning for weights larger
 * than one storage binding, and one dispatch per chunk.
 */
import { grid } from './spec.ts';
import { packParams, type ParamLayout } from './params.ts';
import type { BufferRange, Recorder } from './recorder.ts';
import type { KernelSpec } from '../pipeline-cache.ts';
import { BindingTooLargeError } from '../buffers.ts';
import { quantRowBytes, type QuantType } from '../reference/matvec_q.ts';
import { MATVEC_Q8_0_KERNEL } from './matvec_q8_0.ts';
import { MATVEC_Q4_0_KERNEL } from './matvec_q4_0.ts';

/** `struct Params` of matvec_q.wgsl. */
export const MATVEC_Q_PARAMS = [
  ['m', 'u32'],
  ['k', 'u32'],
  ['n', 'u32'],
  ['out_stride', 'u32'],
  ['col_offset', 'u32'],
  ['has_bias', 'u32'],
  ['relu', 'u32'],
  ['has_residual', 'u32'],
] as const satisfies ParamLayout;

const KERNELS: Record<QuantType, KernelSpec> = { Q8_0: MATVEC_Q8_0_KERNEL, Q4_0: MATVEC_Q4_0_KERNEL };
const MAX_TM = 4;
const WG = 64;

/** Rows rowStart..rowStart+rows-1 of a quantized weight, held in one binding. */
export interface RowChunk {
  rowStart: number;
  rows: number;
  /** bytes of the chunk's blocks, padded to a multiple of 4 (the kernel reads u32 words) */
  bytes: number;
}

/**
 * Splits `rows` rows of `cols` columns into chunks of at most `maxBindingBytes` each; every chunk
 * but the last holds a multiple of `rowAlign` rows (e.g. whole heads for the fused q/k/v kernel).
 */
export function planRowChunks(
  type: QuantType,
  rows: number,
  cols: number,
  maxBindingBytes: number,
  rowAlign = 1,
): RowChunk[] {
  const rowBytes = quantRowBytes(type, cols);
  const fit = Math.floor((Math.floor(maxBindingBytes / 4) * 4) / rowBytes);
  const perChunk = fit - (fit % rowAlign);
  if (perChunk < 1) {
    throw new BindingTooLargeError(
      `${rowAlign} ${type} row(s) of ${cols} columns need ${rowBytes * rowAlign} bytes but a binding allows ${maxBindingBytes}`,
    );
  }
  const chunks: RowChunk[] = [];
  for (let rowStart = 0; rowStart < rows; rowStart += perChunk) {
    const count = Math.min(perChunk, rows - rowStart);
    chunks.push({ rowStart, rows: count, bytes: Math.ceil((count * rowBytes) / 4) * 4 });
  }
  return chunks;
}

/** A chunk's blocks copied into a zero-padded word array, ready for `Recorder.write`. */
export function chunkWords(type: QuantType, cols: number, bytes: Uint8Array, chunk: RowChunk): Int32Array {
  const rowBytes = quantRowBytes(type, cols);
  const padded = new Uint8Array(chunk.bytes); // [chunk.bytes]
  padded.set(bytes.subarray(chunk.rowStart * rowBytes, (chunk.rowStart + chunk.rows) * rowBytes));
  return new Int32Array(padded.buffer); // [chunk.bytes / 4]
}

/**
 * Records out [m, n] = x [m, k] · Wᵀ (W [n, k] as row chunks) + bias → relu? → + residual, or with
 * `gatedUp` (the up weight's chunks, planned like W's) out = silu(x · Wᵀ) ⊙ (x · Upᵀ) in one
 * dispatch per chunk (bias, relu and residual must then be absent).
 */
export function recordMatvecQuant(
  rec: Recorder,
  type: QuantType,
  x: BufferRange, // [m, k]
  chunks: readonly (RowChunk & { range: BufferRange })[], // W rows, in order
  bias: BufferRange | null, // [n]
  residual: BufferRange | null, // [m, n]
  out: BufferRange, // [m, n]
  dims: { m: number; k: number; n: number; relu: boolean },
  gatedUp: readonly (RowChunk & { range: BufferRange })[] | null = null, // Up rows, same chunks as W
): void {
  if (gatedUp && (bias || residual || dims.relu || gatedUp.length !== chunks.length)) {
    throw new Error('recordMatvecQuant: a gated matvec takes no bias/residual/relu and equal chunks');
  }
  const tm = Math.max(1, Math.min(MAX_TM, dims.m));
  for (const [index, chunk] of chunks.entries()) {
    const params = packParams(MATVEC_Q_PARAMS, {
      m: dims.m,
      k: dims.k,
      n: chunk.rows,
      out_stride: dims.n,
      col_offset: chunk.rowStart,
      has_bias: bias ? 1 : 0,
      relu: dims.relu ? 1 : 0,
      has_residual: residual ? 1 : 0,
    });
    const tasks = chunk.rows * Math.ceil(dims.m / tm);
    const aux = gatedUp ? gatedUp[index].range : (bias ?? x); // binding 2: bias or the up chunk
    const buffers = [x, chunk.range, aux, residual ?? x, out];
    const overrides = { TM: tm, WG, GATED: gatedUp ? 1 : 0 };
    rec.dispatch(KERNELS[type], overrides, buffers, params, grid(Math.ceil(tasks / WG)));
  }
}
