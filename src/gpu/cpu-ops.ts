/**
 * `CpuOps`: the TensorOps backend made of the plain loops in `./reference/*`. It is the fallback
 * when WebGPU is missing or fails, and the oracle the GPU kernels are tested against.
 */
import type { AttentionParams, LlamaOps, RopeParams, Tensor, TopK } from './ops.ts';
import {
  ReleasedTensorError,
  checkAttention,
  checkEmbed,
  checkLinear,
  checkNorm,
  checkSliceRows,
  checkTopK,
  checkUpload,
  checkWriteRows,
  expectShape,
  shapeSize,
} from './shapes.ts';
import { embedReference } from './reference/embed.ts';
import { linearReference } from './reference/linear.ts';
import { layerNormReference, rmsNormReference } from './reference/norm.ts';
import { addReference } from './reference/elementwise.ts';
import { sliceRowsReference, writeRowsReference } from './reference/rows.ts';
import { attentionReference } from './reference/attention.ts';
import { topKReference } from './reference/top-k.ts';
import { checkRope, ropeReference } from './reference/rope.ts';
import { swigluReference } from './reference/swiglu.ts';
import { checkQuantizedMatrix, dequantizeMatrix, type QuantizedMatrix } from './reference/matvec_q.ts';

/** A CPU tensor: row-major f32 values. */
export interface CpuTensor extends Tensor {
  readonly shape: readonly number[];
  readonly data: Float32Array; // [product of shape]
  readonly label: string;
}

/** TensorOps on plain JavaScript loops. */
export class CpuOps implements LlamaOps<CpuTensor> {
  readonly backend = 'cpu' as const;
  readonly #released = new WeakSet<CpuTensor>();

  #make(data: Float32Array, shape: readonly number[], label: string): CpuTensor {
    return { shape: [...shape], data, label };
  }

  #live(...tensors: (CpuTensor | null | undefined)[]): void {
    for (const t of tensors) if (t && this.#released.has(t)) throw new ReleasedTensorError(t.label);
  }

  /** Copies `data` (the caller may reuse its array). */
  upload(data: Float32Array, shape: readonly number[], label = 'upload'): CpuTensor {
    checkUpload(data.length, shape);
    return this.#make(data.slice(), shape, label);
  }

  /** Dequantises the Q8_0 / Q4_0 blocks to f32 (exactly the values a GGUF reader decodes). */
  uploadQuantized(q: QuantizedMatrix, label = 'uploadQuantized'): CpuTensor {
    checkQuantizedMatrix(q, label);
    return this.#make(dequantizeMatrix(q), [q.rows, q.cols], label);
  }

  zeros(shape: readonly number[], label = 'zeros'): CpuTensor {
    return this.#make(new Float32Array(shapeSize(shape)), shape, label);
  }

  embed(
    table: CpuTensor,
    ids: Int32Array,
    scale: number,
    pos: CpuTensor | null,
    posStart: number,
  ): CpuTensor {
    this.#live(table, pos);
    const { d, n } = checkEmbed(table.shape, ids, pos?.shape ?? null, posStart);
    return this.#make(
      embedReference(table.data, d, ids, scale, pos?.data ?? null, posStart),
      [n, d],
      'embed',
    );
  }

  linear(
    x: CpuTensor,
    w: CpuTensor,
    bias: CpuTensor | null,
    opts: { relu?: boolean; residual?: CpuTensor } = {},
  ) {
    this.#live(x, w, bias, opts.residual);
    const { m, k, n } = checkLinear(x.shape, w.shape, bias?.shape ?? null, opts.residual?.shape);
    const data = linearReference(x.data, w.data, m, k, n, {
      bias: bias?.data,
      relu: opts.relu,
      residual: opts.residual?.data,
    });
    return this.#make(data, [m, n], 'linear');
  }

  layerNorm(x: CpuTensor, gamma: CpuTensor, beta: CpuTensor, eps: number): CpuTensor {
    this.#live(x, gamma, beta);
    const [m, d] = checkNorm(x.shape, gamma.shape, beta.shape);
    return this.#make(layerNormReference(x.data, gamma.data, beta.data, m, d, eps), [m, d], 'layerNorm');
  }

  /** RMSNorm (LLaMA): x / sqrt(mean(x²) + eps) · weight, row-wise over x [M, d]. */
  rmsNorm(x: CpuTensor, weight: CpuTensor, eps: number): CpuTensor {
    this.#live(x, weight);
    const [m, d] = checkNorm(x.shape, weight.shape, null);
    return this.#make(rmsNormReference(x.data, weight.data, m, d, eps), [m, d], 'rmsNorm');
  }

  rope(x: CpuTensor, p: RopeParams): CpuTensor {
    this.#live(x);
    const [n, width] = checkRope(x.shape, p);
    return this.#make(ropeReference(x.data, n, width, p), x.shape, 'rope');
  }

  swiglu(gate: CpuTensor, up: CpuTensor): CpuTensor {
    this.#live(gate, up);
    expectShape('swiglu up', up.shape, gate.shape);
    return this.#make(swigluReference(gate.data, up.data), gate.shape, 'swiglu');
  }

  add(a: CpuTensor, b: CpuTensor): CpuTensor {
    this.#live(a, b);
    expectShape('add b', b.shape, a.shape);
    return this.#make(addReference(a.data, b.data), a.shape, 'add');
  }

  writeRows(dst: CpuTensor, rowStart: number, src: CpuTensor): void {
    this.#live(dst, src);
    const [, width] = checkWriteRows(dst.shape, rowStart, src.shape);
    writeRowsReference(dst.data, width, rowStart, src.data);
  }

  sliceRows(x: CpuTensor, rowStart: number, n: number): CpuTensor {
    this.#live(x);
    const [, width] = checkSliceRows(x.shape, rowStart, n);
    return this.#make(sliceRowsReference(x.data, width, rowStart, n), [n, width], 'sliceRows');
  }

  attention(q: CpuTensor, k: CpuTensor, v: CpuTensor, p: AttentionParams): CpuTensor {
    this.#live(q, k, v);
    checkAttention(q.shape, k.shape, v.shape, p);
    return this.#make(attentionReference(q.data, k.data, v.data, p), q.shape, 'attention');
  }

  async topK(scores: CpuTensor, k: number, exclude: Int32Array): Promise<TopK> {
    this.#live(scores);
    checkTopK(scores.shape, k);
    return topKReference(scores.data, k, exclude);
  }

  /** Returns a copy, so later in-place ops (writeRows) do not change what the caller holds. */
  async read(x: CpuTensor): Promise<Float32Array> {
    this.#live(x);
    return x.data.slice();
  }

  release(x: CpuTensor): void {
    this.#released.add(x);
  }
}
