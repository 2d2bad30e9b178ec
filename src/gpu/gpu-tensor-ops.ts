/**
 * `GpuTensorOps`: the TensorOps SASRec needs (and `linear` on quantized weights), on our WGSL
 * kernels, plus the bookkeeping every GPU op shares. Ops record into one command encoder and are
 * submitted lazily (at `read`, `topK` or `flush`); released tensors return their buffers to the
 * pool. `GpuOps` (gpu-ops.ts) adds the LLaMA ops.
 */
import type { AttentionParams, TensorOps, TopK } from './ops.ts';
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
import { BufferPool } from './buffers.ts';
import { PipelineCache } from './pipeline-cache.ts';
import type { DeviceLostError, GpuContext } from './device.ts';
import { Recorder, type BufferRange, type RecorderStats } from './kernels/recorder.ts';
import { recordEmbed } from './kernels/embed.ts';
import { recordLinear } from './kernels/linear.ts';
import { recordLayerNorm } from './kernels/layer_norm.ts';
import { recordAdd } from './kernels/add.ts';
import { recordAttention, type AttentionPath } from './kernels/attention.ts';
import { decodeTopK, recordTopK } from './kernels/top_k.ts';
import type { QuantizedMatrix } from './reference/matvec_q.ts';
import { recordMatvecQuant } from './kernels/matvec_q.ts';
import {
  QuantizedTensorUseError,
  quantChunkRanges,
  uploadQuantizedRows,
  type GpuTensor,
} from './gpu-tensor.ts';

/** Bytes of one f32. */
export const F32 = 4;

/** Tuning switches (defaults are right for normal use; tests force each kernel path). */
export interface GpuOpsOptions {
  /** Attention kernel: 'auto' (by shape), 'core' (attention.wgsl) or 'prefill'. */
  attention?: AttentionPath;
  /** Largest binding for one chunk of a quantized weight (default: maxStorageBufferBindingSize). */
  maxWeightBindingBytes?: number;
}

/** TensorOps on WebGPU (SASRec's op set); `GpuOps` extends it with the LLaMA ops. */
export class GpuTensorOps implements TensorOps<GpuTensor> {
  readonly backend = 'webgpu' as const;
  readonly pool: BufferPool;
  protected readonly rec: Recorder;
  protected readonly released = new WeakSet<GpuTensor>();
  #lost: DeviceLostError | null = null;

  constructor(
    readonly context: GpuContext,
    protected readonly options: GpuOpsOptions = {},
  ) {
    const { device, limits } = context;
    this.pool = new BufferPool(device, limits.maxStorageBufferBindingSize);
    this.rec = new Recorder(device, this.pool, new PipelineCache(device));
    void context.lost.then((error) => (this.#lost = error));
  }

  /** The error every op throws once the device is lost (null while it works). */
  get lostError(): DeviceLostError | null {
    return this.#lost;
  }

  /** The pipeline cache (e.g. to `check` kernels compile). */
  get pipelines(): PipelineCache {
    return this.rec.pipelines;
  }

  /** Dispatches, bind groups created and submits so far (what recording cost). */
  recorderStats(): RecorderStats {
    return this.rec.stats();
  }

  /** A pooled f32 tensor of `shape` (contents undefined). */
  protected alloc(shape: readonly number[], label: string): GpuTensor {
    const bytes = shapeSize(shape) * F32;
    return { shape: [...shape], buffer: this.pool.acquire(bytes, 'storage', label), bytes, label };
  }

  /** The buffer range of a live f32 tensor; throws once the device is lost, or for a released or quantized one. */
  protected range(t: GpuTensor): BufferRange {
    if (this.#lost) throw this.#lost;
    if (this.released.has(t)) throw new ReleasedTensorError(t.label);
    if (t.quant) {
      throw new QuantizedTensorUseError(
        `"${t.label}" holds ${t.quant.type} blocks; use it only as the weight of linear`,
      );
    }
    return { buffer: t.buffer, size: t.bytes };
  }

  /** Ids for one submit: a pooled buffer given back at once (reusable after that submit). */
  protected uploadInts(values: Int32Array, label: string): BufferRange {
    const bytes = values.length * 4;
    const buffer = this.pool.acquire(bytes, 'storage', label);
    this.rec.write(buffer, values);
    this.pool.release(buffer); // reusable after the submit that reads it
    return { buffer, size: bytes };
  }

  upload(data: Float32Array, shape: readonly number[], label = 'upload'): GpuTensor {
    checkUpload(data.length, shape);
    const t = this.alloc(shape, label);
    this.rec.write(t.buffer, data);
    return t;
  }

  /**
   * Keeps the blocks on the GPU, split by rows into bindings of at most `maxWeightBindingBytes`
   * (each a multiple of `rowAlign` rows but the last).
   */
  uploadQuantized(q: QuantizedMatrix, label = 'uploadQuantized', rowAlign = 1): GpuTensor {
    const limit = Math.min(this.options.maxWeightBindingBytes ?? Infinity, this.pool.maxBindingBytes);
    return uploadQuantizedRows(this.rec, q, label, limit, rowAlign);
  }

  zeros(shape: readonly number[], label = 'zeros'): GpuTensor {
    const t = this.alloc(shape, label);
    this.rec.clear(t.buffer, t.bytes);
    return t;
  }

  embed(
    table: GpuTensor,
    ids: Int32Array,
    scale: number,
    pos: GpuTensor | null,
    posStart: number,
  ): GpuTensor {
    const { d, n } = checkEmbed(table.shape, ids, pos?.shape ?? null, posStart);
    const tableRange = this.range(table);
    const posRange = pos ? this.range(pos) : null;
    const out = this.alloc([n, d], 'embed');
    if (out.bytes > 0) {
      const idsRange = this.uploadInts(ids, 'embed ids');
      recordEmbed(this.rec, tableRange, posRange, idsRange, this.range(out), { n, d, scale, posStart });
    }
    return out;
  }

  linear(
    x: GpuTensor,
    w: GpuTensor,
    bias: GpuTensor | null,
    opts: { relu?: boolean; residual?: GpuTensor } = {},
  ) {
    const { m, k, n } = checkLinear(x.shape, w.shape, bias?.shape ?? null, opts.residual?.shape);
    if (w.quant) return this.linearQuantized(x, w, bias, opts, { m, k, n });
    const ranges = [this.range(x), this.range(w), bias ? this.range(bias) : null] as const;
    const residual = opts.residual ? this.range(opts.residual) : null;
    const out = this.alloc([m, n], 'linear');
    if (out.bytes > 0) {
      recordLinear(this.rec, ...ranges, residual, this.range(out), { m, k, n, relu: opts.relu ?? false });
    }
    return out;
  }

  /** `linear` with a quantized weight `w` (and, for `gatedLinear`, its quantized up weight). */
  protected linearQuantized(
    x: GpuTensor,
    w: GpuTensor,
    bias: GpuTensor | null,
    opts: { relu?: boolean; residual?: GpuTensor },
    dims: { m: number; k: number; n: number },
    gatedUp: GpuTensor | null = null, // with it: silu(x·wᵀ) ⊙ (x·upᵀ)
  ): GpuTensor {
    if (this.#lost) throw this.#lost;
    for (const t of [w, gatedUp]) if (t && this.released.has(t)) throw new ReleasedTensorError(t.label);
    const [xRange, biasRange] = [this.range(x), bias ? this.range(bias) : null];
    const residual = opts.residual ? this.range(opts.residual) : null;
    const out = this.alloc([dims.m, dims.n], gatedUp ? 'gatedLinearQ' : 'linearQ');
    if (out.bytes > 0) {
      const [type, up] = [w.quant!.type, gatedUp ? quantChunkRanges(gatedUp) : null];
      const ranges = [xRange, quantChunkRanges(w), biasRange, residual, this.range(out)] as const;
      recordMatvecQuant(this.rec, type, ...ranges, { ...dims, relu: opts.relu ?? false }, up);
    }
    return out;
  }

  layerNorm(x: GpuTensor, gamma: GpuTensor, beta: GpuTensor, eps: number): GpuTensor {
    return this.norm(x, gamma, beta, eps);
  }

  /** Layer norm with `beta`, RMSNorm without. */
  protected norm(x: GpuTensor, gamma: GpuTensor, beta: GpuTensor | null, eps: number): GpuTensor {
    const [rows, d] = checkNorm(x.shape, gamma.shape, beta?.shape ?? null);
    const ranges = [this.range(x), this.range(gamma), beta ? this.range(beta) : null] as const;
    const out = this.alloc([rows, d], beta ? 'layerNorm' : 'rmsNorm');
    if (out.bytes > 0) recordLayerNorm(this.rec, ...ranges, this.range(out), { rows, d, eps });
    return out;
  }

  add(a: GpuTensor, b: GpuTensor): GpuTensor {
    expectShape('add b', b.shape, a.shape);
    const [aRange, bRange] = [this.range(a), this.range(b)];
    const out = this.alloc(a.shape, 'add');
    if (out.bytes > 0) recordAdd(this.rec, aRange, bRange, this.range(out), shapeSize(a.shape));
    return out;
  }

  /** Row ranges are contiguous in row-major storage, so this is one buffer copy. */
  writeRows(dst: GpuTensor, rowStart: number, src: GpuTensor): void {
    const [, width] = checkWriteRows(dst.shape, rowStart, src.shape);
    this.rec.copy(this.range(src).buffer, 0, this.range(dst).buffer, rowStart * width * F32, src.bytes);
  }

  sliceRows(x: GpuTensor, rowStart: number, n: number): GpuTensor {
    const [, width] = checkSliceRows(x.shape, rowStart, n);
    const source = this.range(x);
    const out = this.alloc([n, width], 'sliceRows');
    this.rec.copy(source.buffer, rowStart * width * F32, out.buffer, 0, out.bytes);
    return out;
  }

  attention(q: GpuTensor, k: GpuTensor, v: GpuTensor, p: AttentionParams): GpuTensor {
    checkAttention(q.shape, k.shape, v.shape, p);
    const ranges = [this.range(q), this.range(k), this.range(v)] as const;
    const out = this.alloc(q.shape, 'attention');
    recordAttention(this.rec, ...ranges, this.range(out), p, this.options.attention);
    return out;
  }

  async topK(scores: GpuTensor, k: number, exclude: Int32Array): Promise<TopK> {
    const n = checkTopK(scores.shape, k);
    const range = this.range(scores);
    if (n === 0) return { ids: new Int32Array(0), scores: new Float32Array(0) };
    const sorted = Int32Array.from(exclude).sort();
    const excludeRange = sorted.length > 0 ? this.uploadInts(sorted, 'topK exclude') : null;
    const kept = Math.min(k, n);
    const pairs = recordTopK(this.rec, range, excludeRange, { n, k: kept, excludeCount: sorted.length });
    const bytes = await this.readBack(pairs, kept * 8);
    this.pool.release(pairs);
    return decodeTopK(new Uint32Array(bytes));
  }

  async read(x: GpuTensor): Promise<Float32Array> {
    const range = this.range(x);
    if (range.size === 0) return new Float32Array(0);
    return new Float32Array(await this.readBack(range.buffer, range.size));
  }

  /** Read-back that reports a device lost meanwhile as DeviceLostError. */
  protected async readBack(buffer: GPUBuffer, size: number): Promise<ArrayBuffer> {
    try {
      return await this.rec.readBack(buffer, size);
    } catch (error) {
      throw this.#lost ?? error;
    }
  }

  release(x: GpuTensor): void {
    if (this.released.has(x)) return;
    this.released.add(x);
    if (x.quant) for (const chunk of x.quant.chunks) this.pool.release(chunk.buffer);
    else this.pool.release(x.buffer);
  }

  /** Submits recorded work without reading anything back (e.g. before idling). */
  flush(): void {
    this.rec.flush();
  }

  /** Frees pooled buffers and destroys the device; this GpuOps is unusable afterwards. */
  destroy(): void {
    this.pool.trim();
    this.context.device.destroy();
  }
}
