/**
 * GPU top-k with exclusions: wraps top_k.wgsl (four entry points sharing one module). A prefilter
 * (bucket maxima → exact threshold → compaction) leaves only the scores that can be in the top k,
 * and one workgroup sorts those; the (order key, index) pairs are decoded on the host.
 */
import source from './top_k.wgsl?raw';
import { kernelSpec, grid } from './spec.ts';
import { packParams, type ParamLayout } from './params.ts';
import type { BufferRange, Recorder } from './recorder.ts';
import type { KernelSpec } from '../pipeline-cache.ts';
import type { TopK } from '../ops.ts';

/** `struct Params` of top_k.wgsl (shared by its four entry points). */
export const TOP_K_PARAMS = [
  ['count', 'u32'],
  ['k', 'u32'],
  ['exclude_count', 'u32'],
  ['bucket_size', 'u32'],
  ['buckets', 'u32'],
  ['capacity', 'u32'],
] as const satisfies ParamLayout;

/** Bindings of every top_k.wgsl entry point: scores, exclude, bucket_max, state, candidates, pairs_out, params. */
const TOP_K_BINDINGS = ['read', 'read', 'write', 'write', 'write', 'write', 'uniform'] as const;

/** Final selection: streams the candidates through a bitonic network (one workgroup). */
export const TOP_K_KERNEL = kernelSpec('top_k', source, TOP_K_BINDINGS);
/** Per-bucket maximum order key over eligible scores. */
export const TOP_K_BUCKETS_KERNEL = kernelSpec('top_k_buckets', source, TOP_K_BINDINGS);
/** The k-th best bucket maximum → threshold; resets the candidate counter (one workgroup). */
export const TOP_K_THRESHOLD_KERNEL = kernelSpec('top_k_threshold', source, TOP_K_BINDINGS);
/** Appends eligible scores ≥ threshold to the candidate list. */
export const TOP_K_COMPACT_KERNEL = kernelSpec('top_k_compact', source, TOP_K_BINDINGS);

/** Every top_k.wgsl entry point (for compile checks). */
export const TOP_K_KERNELS: readonly KernelSpec[] = [
  TOP_K_BUCKETS_KERNEL,
  TOP_K_THRESHOLD_KERNEL,
  TOP_K_COMPACT_KERNEL,
  TOP_K_KERNEL,
];

const WG = 64;
/** Widest sorting network (workgroup memory slots); must exceed 2 · the largest k. */
export const TOP_K_CHUNK = 1024;
/** Buckets per wanted result: more buckets → a tighter threshold but a larger threshold sort. */
const BUCKETS_PER_RESULT = 4;
const NONE = 0xffffffff;
const PAIR_BYTES = 8; // vec2<u32>
const STATE_BYTES = 16; // [threshold, found, -, -] u32

/** How the prefilter splits n scores for a top-k. */
export interface TopKPlan {
  /** scores per bucket */
  bucketSize: number;
  /** k ≤ buckets ≤ TOP_K_CHUNK */
  buckets: number;
  /** candidates kept for the final sort; more means "too many ties": stream every score instead */
  capacity: number;
}

/** About 4k buckets (fewer than TOP_K_CHUNK), never fewer than k: see the exactness note in top_k.wgsl. */
export function planTopK(n: number, k: number): TopKPlan {
  const bucketSize = Math.max(1, Math.floor(n / (BUCKETS_PER_RESULT * k)), Math.ceil(n / TOP_K_CHUNK));
  return { bucketSize, buckets: Math.ceil(n / bucketSize), capacity: TOP_K_CHUNK - k };
}

/**
 * Records the four passes over scores [n] and returns the buffer holding the best k pairs [k, 2]
 * u32 (the caller reads `k · 8` bytes of it and releases it to the pool). Needs 1 ≤ k ≤ n, k ≤ 256.
 */
export function recordTopK(
  rec: Recorder,
  scores: BufferRange, // [n]
  exclude: BufferRange | null, // [e] i32, ascending
  dims: { n: number; k: number; excludeCount: number },
): GPUBuffer {
  const { n, k } = dims;
  const plan = planTopK(n, k);
  const scratch = (bytes: number, label: string): BufferRange => ({
    buffer: rec.pool.acquire(bytes, 'storage', label),
    size: bytes,
  });
  const bucketMax = scratch(plan.buckets * 4, 'top_k bucket maxima'); // [buckets] u32
  const state = scratch(STATE_BYTES, 'top_k state'); // [4] u32
  const candidates = scratch(plan.capacity * PAIR_BYTES, 'top_k candidates'); // [capacity, 2] u32
  const pairs = scratch(k * PAIR_BYTES, 'top_k pairs'); // [k, 2] u32
  const params = packParams(TOP_K_PARAMS, {
    count: n,
    k,
    exclude_count: dims.excludeCount,
    bucket_size: plan.bucketSize,
    buckets: plan.buckets,
    capacity: plan.capacity,
  });
  const bindings = [scores, exclude ?? scores, bucketMax, state, candidates, pairs];
  const overrides = { WG, CHUNK: TOP_K_CHUNK };
  rec.dispatch(TOP_K_BUCKETS_KERNEL, overrides, bindings, params, grid(Math.ceil(plan.buckets / WG)));
  rec.dispatch(TOP_K_THRESHOLD_KERNEL, overrides, bindings, params, [1]);
  rec.dispatch(TOP_K_COMPACT_KERNEL, overrides, bindings, params, grid(Math.ceil(n / WG)));
  rec.dispatch(TOP_K_KERNEL, overrides, bindings, params, [1]);
  for (const range of [bucketMax, state, candidates]) rec.pool.release(range.buffer); // reusable after submit
  return pairs.buffer;
}

/** Float value of an order key (inverse of `order_key` in top_k.wgsl). */
export function scoreOfKey(key: number): number {
  if (key === 0) return NaN;
  const bits = key & 0x80000000 ? key & 0x7fffffff : ~key >>> 0;
  const view = new DataView(new ArrayBuffer(4));
  view.setUint32(0, bits >>> 0, true);
  return view.getFloat32(0, true);
}

/** Decodes read-back pairs [k, 2] u32 into ids and scores, dropping padding / excluded slots. */
export function decodeTopK(pairs: Uint32Array): TopK {
  const ids: number[] = [];
  const scores: number[] = [];
  for (let r = 0; r < pairs.length / 2; r++) {
    if (pairs[2 * r + 1] === NONE) break;
    ids.push(pairs[2 * r + 1]);
    scores.push(scoreOfKey(pairs[2 * r]));
  }
  return { ids: Int32Array.from(ids), scores: Float32Array.from(scores) };
}
