/**
 * The backend-neutral op set that model forward passes are written against, once.
 *
 * Two implementations: `CpuOps` (plain loops from `src/gpu/reference/*`, the fallback and the
 * test oracle) and `GpuOps` (WGSL kernels from `src/gpu/kernels/*`, recorded into one command
 * encoder per forward, read back only at `read`/`topK`). Every tensor is row-major f32.
 */

import type { QuantizedMatrix } from './reference/matvec_q.ts';

/** A tensor handle; `shape` is row-major, e.g. [rows, cols]. */
export interface Tensor {
  readonly shape: readonly number[];
}

/** Parameters of the shared attention core (SASRec: heads=kvHeads=1; LLaMA: GQA). */
export interface AttentionParams {
  /** query rows in `q` */
  queries: number;
  /** valid key/value rows in the caches (rows 0..keys-1) */
  keys: number;
  heads: number;
  kvHeads: number;
  headDim: number;
  /** absolute row of the first query among the keys: query i may see keys 0..queryStart+i (causal) */
  queryStart: number;
  /** usually 1/sqrt(headDim) */
  scale: number;
}

/** Rotary position embedding (LLaMA; pairs (2j, 2j+1) inside each head, see reference/rope.ts). */
export interface RopeParams {
  /** values per head (even); x's width is a multiple of it */
  headDim: number;
  /** position of x's row 0; row i sits at positionStart + i */
  positionStart: number;
  /** rope base, e.g. 10000 */
  theta: number;
  /**
   * true: NEOX layout, pair j is (j, j + headDim/2) inside each head (GGUF rope type NEOX, e.g.
   * qwen2; Hugging Face "rotate half"); false/absent: adjacent pairs (2j, 2j+1), llama2.c / GGUF llama
   */
  neox?: boolean;
  /** scaled RoPE: pair j's frequency is divided by freqFactors[j] [headDim/2]; absent: unscaled */
  freqFactors?: Float32Array;
}

/** The fused attention input's rope and destinations (see `LlamaOps.attentionInput`). */
export interface AttentionInputParams<T extends Tensor> {
  rope: RopeParams;
  keyCache: T; // [capacity, kvWidth]
  valueCache: T; // [capacity, kvWidth]
  /** cache row of h's row 0 */
  cacheRow: number;
}

/** Result of a top-k selection, best first. */
export interface TopK {
  ids: Int32Array; // [k]
  scores: Float32Array; // [k]
}

/** Tensor operations; `T` is the backend's tensor handle. */
export interface TensorOps<T extends Tensor> {
  readonly backend: 'cpu' | 'webgpu';
  /** Host data → tensor (weights, inputs). `data.length` must equal the shape's product. */
  upload(data: Float32Array, shape: readonly number[], label?: string): T;
  /** A zero-filled tensor, e.g. a KV cache [capacity, kvDim]. */
  zeros(shape: readonly number[], label?: string): T;
  /** out [n, d] = table[ids[i]] · scale + (pos ? pos[posStart + i] : 0); table [rows, d], pos [P, d]. */
  embed(table: T, ids: Int32Array, scale: number, pos: T | null, posStart: number): T;
  /** out [M, N] = x [M, K] · wᵀ (w [N, K]) + bias [N]; then relu if asked; then + residual [M, N]. */
  linear(x: T, w: T, bias: T | null, opts?: { relu?: boolean; residual?: T }): T;
  /** Row-wise LayerNorm over the last dim: x [M, d] → [M, d]. */
  layerNorm(x: T, gamma: T, beta: T, eps: number): T;
  /** Element-wise a + b (same shape). */
  add(a: T, b: T): T;
  /** Copy src [n, w] into rows rowStart..rowStart+n-1 of dst [capacity, w] (in place). */
  writeRows(dst: T, rowStart: number, src: T): void;
  /** Rows rowStart..rowStart+n-1 of x [M, w] as a new tensor [n, w]. */
  sliceRows(x: T, rowStart: number, n: number): T;
  /** Scaled dot-product attention, causal + key-padding (rows ≥ keys) mask:
   *  q [queries, heads·headDim], k/v [≥keys, kvHeads·headDim] → [queries, heads·headDim]. */
  attention(q: T, k: T, v: T, p: AttentionParams): T;
  /** Best k of scores [1, n] (ties → lower index), skipping ids in `exclude`; reads back. */
  topK(scores: T, k: number, exclude: Int32Array): Promise<TopK>;
  /** Read a tensor back to the host. */
  read(x: T): Promise<Float32Array>;
  /** Give a tensor's storage back (GPU: to the buffer pool). Using it afterwards is a bug. */
  release(x: T): void;
}

/**
 * The extra ops a LLaMA-class forward pass needs (src/llm/forward.ts). A separate interface so a
 * backend that serves SASRec only (e.g. FastCpuOps) still satisfies `TensorOps`.
 */
export interface LlamaOps<T extends Tensor> extends TensorOps<T> {
  /** RMSNorm: x / sqrt(mean(x²) + eps) · weight, row-wise over x [M, d] → [M, d]. */
  rmsNorm(x: T, weight: T, eps: number): T;
  /** RoPE: x [n, heads·headDim] → [n, heads·headDim], row i rotated for position positionStart + i. */
  rope(x: T, p: RopeParams): T;
  /** SwiGLU gate: silu(gate) · up, element-wise (same shape, e.g. [M, hidden]). */
  swiglu(gate: T, up: T): T;
  /**
   * Optional fused feed-forward input: swiglu(linear(x, gate), linear(x, up)) for x [M, K] and
   * gate, up [N, K] → [M, N] in one kernel (WebGPU has it; the forward pass composes it otherwise).
   */
  gatedLinear?(x: T, gate: T, up: T): T;
  /**
   * Optional fused attention input: for [q | k | v] = h [n, K] · wqkvᵀ + bias (h: the attention-
   * normed x; wqkv: Wq [qWidth, K], Wk and Wv [kvWidth, K] stacked by rows; bias [qWidth + 2·kvWidth]
   * or null) returns rope(q) [n, qWidth] and writes rope(k) and v into rows cacheRow.. of the caches,
   * in one kernel (WebGPU has it; the forward pass composes it otherwise). A quantized `wqkv` must
   * be uploaded with `rowAlign` = headDim.
   */
  attentionInput?(h: T, wqkv: T, bias: T | null, p: AttentionInputParams<T>): T;
  /**
   * A weight matrix [rows, cols] given in GGUF Q8_0 / Q4_0 blocks, usable as the `w` of `linear`
   * (and `release`). WebGPU keeps the blocks and dequantises in the matvec kernel (split by rows
   * across bindings when large, each binding a multiple of `rowAlign` rows); the CPU backends
   * dequantise to f32 here.
   */
  uploadQuantized(q: QuantizedMatrix, label?: string, rowAlign?: number): T;
  /**
   * Optional: draws one token id from logits [vocab] on the device with the counter-based sampler
   * of src/llm/sample-reference.ts (only the id is read back). WebGPU has it.
   */
  sampleToken?(logits: T, p: SampleParams): Promise<number>;
}

/** One seeded draw: temperature 0 = greedy; `step` is the draw counter fed to the seeded hash. */
export interface SampleParams {
  temperature: number;
  /** nucleus mass in (0, 1] */
  topP: number;
  seed: number;
  step: number;
}
