/**
 * The tensor type of `GpuOps` and the upload of quantized weights (blocks kept on the GPU, split
 * by rows so no binding exceeds the device's limit).
 */
import type { Tensor } from './ops.ts';
import type { BufferRange, Recorder } from './kernels/recorder.ts';
import { checkQuantizedMatrix, type QuantType, type QuantizedMatrix } from './reference/matvec_q.ts';
import { chunkWords, planRowChunks, type RowChunk } from './kernels/matvec_q.ts';

/** A GPU tensor: a pooled storage buffer holding `shape`'s product of f32 values. */
export interface GpuTensor extends Tensor {
  readonly shape: readonly number[];
  readonly buffer: GPUBuffer; // [product of shape] f32 (buffer.size may be larger)
  /** Bytes of data (4 · elements). */
  readonly bytes: number;
  readonly label: string;
  /** set for weights from `uploadQuantized`: their blocks, split by rows across buffers */
  readonly quant?: { type: QuantType; chunks: (RowChunk & { buffer: GPUBuffer })[] };
}

/** A quantized weight was passed to an op other than `linear` (as `w`) or `release`. */
export class QuantizedTensorUseError extends Error {
  override readonly name = 'QuantizedTensorUseError';
}

/**
 * Writes `q`'s blocks into pooled buffers of at most `maxBindingBytes` each (whole rows per
 * buffer, a multiple of `rowAlign` rows in all but the last) and returns the tensor [rows, cols]
 * that `linear` dispatches chunk by chunk.
 */
export function uploadQuantizedRows(
  rec: Recorder,
  q: QuantizedMatrix,
  label: string,
  maxBindingBytes: number,
  rowAlign = 1,
): GpuTensor {
  checkQuantizedMatrix(q, label);
  const chunks = planRowChunks(q.type, q.rows, q.cols, maxBindingBytes, rowAlign).map((chunk) => {
    const buffer = rec.pool.acquire(chunk.bytes, 'storage', `${label} rows ${chunk.rowStart}..`);
    rec.write(buffer, chunkWords(q.type, q.cols, q.bytes, chunk)); // [chunk rows × blocks] words
    return { ...chunk, buffer };
  });
  const bytes = chunks.reduce((sum, c) => sum + c.bytes, 0);
  return { shape: [q.rows, q.cols], buffer: chunks[0].buffer, bytes, label, quant: { type: q.type, chunks } };
}

/** A quantized weight's row chunks as bindable ranges, in row order (what `recordMatvecQuant` takes). */
export function quantChunkRanges(t: GpuTensor): (RowChunk & { range: BufferRange })[] {
  if (!t.quant) throw new QuantizedTensorUseError(`"${t.label}" is not a quantized weight`);
  return t.quant.chunks.map((c) => ({ ...c, range: { buffer: c.buffer, size: c.bytes } }));
}
