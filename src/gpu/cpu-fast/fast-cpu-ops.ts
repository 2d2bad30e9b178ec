/**
 * `FastCpuOps`: a TensorOps backend on cache-friendly f32 loops (./linear.ts, ./attention.ts,
 * ./rows.ts, ./top-k.ts) and, for products of many rows (a prefill) or against large resident
 * weights, WebAssembly SIMD (./simd-gemm.ts, ./attention-simd.ts); it recycles the storage of
 * released tensors. It computes what `CpuOps` (the plain-loop oracle in ../reference) computes,
 * up to summation order, and is the CPU candidate that calibration races against WebGPU. It also serves the LLaMA forward (LlamaOps:
 * rope and swiglu use the reference loops). Tensors are `CpuTensor`s; shape checks and their
 * errors are the shared ones in ../shapes.ts.
 */
import type { AttentionParams, LlamaOps, RopeParams, TopK } from '../ops.ts';
import type { CpuTensor } from '../cpu-ops.ts';
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
} from '../shapes.ts';
import { Float32ArrayPool } from './array-pool.ts';
import { linearInto } from './linear.ts';
import { AttentionScratch, attentionInto } from './attention.ts';
import { attentionSimdInto } from './attention-simd.ts';
import { SIMD_MIN_ROWS, SIMD_RESIDENT_MIN, SimdGemm } from './simd-gemm.ts';
import { addInto, embedInto, normInto } from './rows.ts';
import { TopKScratch, topKFast } from './top-k.ts';
import { checkRope, ropeReference } from '../reference/rope.ts';
import { swigluReference } from '../reference/swiglu.ts';
import { checkQuantizedMatrix, dequantizeMatrix, type QuantizedMatrix } from '../reference/matvec_q.ts';

/** Options of `FastCpuOps`. */
export interface FastCpuOpsOptions {
  /** use WebAssembly SIMD for products of ≥ SIMD_MIN_ROWS rows when available (default true) */
  simd?: boolean;
}

/** TensorOps on optimised CPU loops with pooled storage. */
export class FastCpuOps implements LlamaOps<CpuTensor> {
  readonly backend = 'cpu' as const;
  /** True when large products run on WebAssembly SIMD (asked for and supported). */
  readonly simd: boolean;
  /** Storage of released tensors, reused by later ops (exposed for tests). */
  readonly pool = new Float32ArrayPool();
  readonly #released = new WeakSet<CpuTensor>();
  readonly #attentionScratch = new AttentionScratch();
  readonly #topKScratch = new TopKScratch();
  readonly #gemm: SimdGemm | null;

  constructor(options: FastCpuOpsOptions = {}) {
    this.#gemm = options.simd === false ? null : SimdGemm.create();
    this.simd = this.#gemm !== null;
  }

  /** A tensor of `shape` on pooled storage with unspecified contents (the op fills it). */
  #alloc(shape: readonly number[], label: string): CpuTensor {
    return { shape: [...shape], data: this.pool.take(shapeSize(shape)), label };
  }

  #live(...tensors: (CpuTensor | null | undefined)[]): void {
    for (const t of tensors) if (t && this.#released.has(t)) throw new ReleasedTensorError(t.label);
  }

  /** Copies `data` (the caller may reuse its array). */
  upload(data: Float32Array, shape: readonly number[], label = 'upload'): CpuTensor {
    checkUpload(data.length, shape);
    const t = this.#alloc(shape, label);
    t.data.set(data);
    return t;
  }

  /** Dequantises the Q8_0 / Q4_0 blocks to f32 (the SIMD and loop kernels are f32). */
  uploadQuantized(q: QuantizedMatrix, label = 'uploadQuantized'): CpuTensor {
    checkQuantizedMatrix(q, label);
    return this.upload(dequantizeMatrix(q), [q.rows, q.cols], label);
  }

  zeros(shape: readonly number[], label = 'zeros'): CpuTensor {
    const t = this.#alloc(shape, label);
    t.data.fill(0);
    return t;
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
    const out = this.#alloc([n, d], 'embed');
    embedInto(out.data, table.data, d, ids, scale, pos?.data ?? null, posStart);
    return out;
  }

  linear(
    x: CpuTensor,
    w: CpuTensor,
    bias: CpuTensor | null,
    opts: { relu?: boolean; residual?: CpuTensor } = {},
  ): CpuTensor {
    this.#live(x, w, bias, opts.residual);
    const { m, k, n } = checkLinear(x.shape, w.shape, bias?.shape ?? null, opts.residual?.shape);
    const out = this.#alloc([m, n], 'linear');
    // A large weight (the item table scores every request) stays in SIMD memory: no copy per call.
    if (this.#gemm && n * k >= SIMD_RESIDENT_MIN) this.#gemm.keep(w.data, n, k);
    linearInto(
      out.data,
      x.data,
      w.data,
      m,
      k,
      n,
      {
        bias: bias?.data ?? null,
        relu: opts.relu ?? false,
        residual: opts.residual?.data ?? null,
      },
      this.#gemm,
    );
    return out;
  }

  layerNorm(x: CpuTensor, gamma: CpuTensor, beta: CpuTensor, eps: number): CpuTensor {
    return this.#norm(x, gamma, beta, eps, 'layerNorm');
  }

  /** RMSNorm (LLaMA): x / sqrt(mean(x²) + eps) · weight, row-wise over x [M, d]. */
  rmsNorm(x: CpuTensor, weight: CpuTensor, eps: number): CpuTensor {
    return this.#norm(x, weight, null, eps, 'rmsNorm');
  }

  #norm(x: CpuTensor, gamma: CpuTensor, beta: CpuTensor | null, eps: number, label: string): CpuTensor {
    this.#live(x, gamma, beta);
    const [m, d] = checkNorm(x.shape, gamma.shape, beta?.shape ?? null);
    const out = this.#alloc([m, d], label);
    normInto(out.data, x.data, gamma.data, beta?.data ?? null, m, d, eps);
    return out;
  }

  /** RoPE (LLaMA) with the reference loop: element-wise, not worth a faster copy. */
  rope(x: CpuTensor, p: RopeParams): CpuTensor {
    this.#live(x);
    const [n, width] = checkRope(x.shape, p);
    return { shape: [...x.shape], data: ropeReference(x.data, n, width, p), label: 'rope' };
  }

  /** SwiGLU gate silu(gate) · up (LLaMA) with the reference loop. */
  swiglu(gate: CpuTensor, up: CpuTensor): CpuTensor {
    this.#live(gate, up);
    expectShape('swiglu up', up.shape, gate.shape);
    return { shape: [...gate.shape], data: swigluReference(gate.data, up.data), label: 'swiglu' };
  }

  add(a: CpuTensor, b: CpuTensor): CpuTensor {
    this.#live(a, b);
    expectShape('add b', b.shape, a.shape);
    const out = this.#alloc(a.shape, 'add');
    addInto(out.data, a.data, b.data);
    return out;
  }

  writeRows(dst: CpuTensor, rowStart: number, src: CpuTensor): void {
    this.#live(dst, src);
    const [, width] = checkWriteRows(dst.shape, rowStart, src.shape);
    this.#gemm?.forget(dst.data); // a resident copy would be stale
    dst.data.set(src.data, rowStart * width);
  }

  sliceRows(x: CpuTensor, rowStart: number, n: number): CpuTensor {
    this.#live(x);
    const [, width] = checkSliceRows(x.shape, rowStart, n);
    const out = this.#alloc([n, width], 'sliceRows');
    out.data.set(x.data.subarray(rowStart * width, (rowStart + n) * width));
    return out;
  }

  attention(q: CpuTensor, k: CpuTensor, v: CpuTensor, p: AttentionParams): CpuTensor {
    this.#live(q, k, v);
    checkAttention(q.shape, k.shape, v.shape, p);
    const out = this.#alloc(q.shape, 'attention');
    if (this.#gemm && p.queries >= SIMD_MIN_ROWS) {
      attentionSimdInto(out.data, q.data, k.data, v.data, p, this.#attentionScratch, this.#gemm);
    } else {
      attentionInto(out.data, q.data, k.data, v.data, p, this.#attentionScratch);
    }
    return out;
  }

  async topK(scores: CpuTensor, k: number, exclude: Int32Array): Promise<TopK> {
    this.#live(scores);
    checkTopK(scores.shape, k);
    return topKFast(scores.data, k, exclude, this.#topKScratch);
  }

  /** Returns a copy, so later in-place ops (writeRows) and pool reuse do not change it. */
  async read(x: CpuTensor): Promise<Float32Array> {
    this.#live(x);
    return x.data.slice();
  }

  /** Returns the storage to the pool once; releasing the same tensor again does nothing. */
  release(x: CpuTensor): void {
    if (this.#released.has(x)) return;
    this.#released.add(x);
    this.#gemm?.forget(x.data); // the array will hold other values once reused
    this.pool.give(x.data);
  }
}
