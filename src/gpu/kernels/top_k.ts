/**
 * GPU top-k with exclusions: wraps top_k.wgsl, running chunked bitonic passes until one chunk of
 * survivors remains, then decoding the (order key, index) pairs on the host.
 */
import source from './top_k.wgsl?raw';
import { kernelSpec, grid } from './spec.ts';
import { packParams, type ParamLayout } from './params.ts';
import type { BufferRange, Recorder } from './recorder.ts';
import type { TopK } from '../ops.ts';

/** `struct Params` of top_k.wgsl. */
export const TOP_K_PARAMS = [
  ['count', 'u32'],
  ['k', 'u32'],
  ['exclude_count', 'u32'],
  ['from_scores', 'u32'],
  ['width', 'u32'],
] as const satisfies ParamLayout;

/** The top_k kernel: scores, exclude, pairs_in, pairs_out, params. */
export const TOP_K_KERNEL = kernelSpec('top_k', source, ['read', 'read', 'read', 'write', 'uniform']);

const WG = 64;
/** Candidates sorted per workgroup; must exceed the largest k so every pass shrinks the set. */
export const TOP_K_CHUNK = 1024;
const NONE = 0xffffffff;
const PAIR_BYTES = 8; // vec2<u32>

/**
 * Records the passes over scores [n] and returns the buffer holding the best k pairs [k, 2] u32
 * (the caller reads `k · 8` bytes of it and releases it to the pool).
 */
export function recordTopK(
  rec: Recorder,
  scores: BufferRange, // [n]
  exclude: BufferRange | null, // [e] i32, ascending
  dims: { n: number; k: number; excludeCount: number },
): GPUBuffer {
  let count = dims.n;
  let input: BufferRange = scores; // pass 1 reads scores; pairs_in is then unused
  let fromScores = 1;
  for (;;) {
    const width = Math.min(TOP_K_CHUNK, 2 ** Math.ceil(Math.log2(Math.max(count, 2)))); // ≥ k: k ≤ count
    const groups = Math.ceil(count / width);
    const outBytes = groups * dims.k * PAIR_BYTES;
    const output = rec.pool.acquire(outBytes, 'storage', 'top_k pairs');
    const params = packParams(TOP_K_PARAMS, {
      count,
      k: dims.k,
      exclude_count: dims.excludeCount,
      from_scores: fromScores,
      width,
    });
    const bindings = [scores, exclude ?? scores, input, { buffer: output, size: outBytes }];
    rec.dispatch(TOP_K_KERNEL, { WG, CHUNK: TOP_K_CHUNK }, bindings, params, grid(groups));
    if (input !== scores) rec.pool.release(input.buffer);
    if (groups === 1) return output;
    input = { buffer: output, size: outBytes };
    count = groups * dims.k;
    fromScores = 0;
  }
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
