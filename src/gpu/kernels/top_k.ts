/**
 * GPU top-k with exclusions: wraps top_k.wgsl, one dispatch of one workgroup whose prefilter
 * (bucket maxima → exact threshold → compaction) leaves only the scores that can be in the top k
 * to sort; the (order key, index) pairs are decoded on the host.
 */
import source from './top_k.wgsl?raw';
import { kernelSpec } from './spec.ts';
import { packParams, type ParamLayout } from './params.ts';
import type { BufferRange, Recorder } from './recorder.ts';
import type { TopK } from '../ops.ts';

/** `struct Params` of top_k.wgsl. */
export const TOP_K_PARAMS = [
  ['count', 'u32'],
  ['k', 'u32'],
  ['exclude_count', 'u32'],
  ['bucket_size', 'u32'],
  ['buckets', 'u32'],
  ['capacity', 'u32'],
] as const satisfies ParamLayout;

/** The top_k kernel: scores, exclude, candidates, pairs_out, params. */
export const TOP_K_KERNEL = kernelSpec('top_k', source, ['read', 'read', 'write', 'write', 'uniform']);

const WG = 64;
/** Widest sorting network (workgroup memory slots); must exceed 2 · the largest k. */
export const TOP_K_CHUNK = 1024;
/** Buckets per wanted result: more buckets → a tighter threshold but a larger threshold sort. */
const BUCKETS_PER_RESULT = 4;
const NONE = 0xffffffff;
const PAIR_BYTES = 8; // vec2<u32>

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
 * Records the top-k dispatch over scores [n] and returns the buffer holding the best k pairs
 * [k, 2] u32 (the caller reads `k · 8` bytes of it and releases it to the pool). Needs 1 ≤ k ≤ n, k ≤ 256.
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
  const bindings = [scores, exclude ?? scores, candidates, pairs];
  rec.dispatch(TOP_K_KERNEL, { WG, CHUNK: TOP_K_CHUNK }, bindings, params, [1]);
  rec.pool.release(candidates.buffer); // reusable after the submit
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
