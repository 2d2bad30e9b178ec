/**
 * GPU attention core (causal + padding mask, GQA, query offset, scale): wraps attention.wgsl
 * (one workgroup per query and head: decode and any head size) and attention_prefill.wgsl (one
 * invocation per query, key/value tiles shared by 64 queries: many queries, head_dim ≤ 128).
 */
import source from './attention.wgsl?raw';
import prefillSource from './attention_prefill.wgsl?raw';
import { kernelSpec, grid } from './spec.ts';
import { packParams, type ParamLayout } from './params.ts';
import type { BufferRange, Recorder } from './recorder.ts';
import type { AttentionParams } from '../ops.ts';
import { ShapeError } from '../shapes.ts';

/** `struct Params` of attention.wgsl. */
export const ATTENTION_PARAMS = [
  ['queries', 'u32'],
  ['keys', 'u32'],
  ['heads', 'u32'],
  ['kv_heads', 'u32'],
  ['head_dim', 'u32'],
  ['query_start', 'u32'],
  ['scale', 'f32'],
] as const satisfies ParamLayout;

/** The attention kernel: q, k, v, out, params. */
export const ATTENTION_KERNEL = kernelSpec('attention', source, ['read', 'read', 'read', 'write', 'uniform']);

/** The prefill kernel: same bindings and params. */
export const ATTENTION_PREFILL_KERNEL = kernelSpec('attention_prefill', prefillSource, [
  'read',
  'read',
  'read',
  'write',
  'uniform',
]);

/** Largest head dimension of attention.wgsl / attention_prefill.wgsl (their MAX_HEAD_DIM). */
export const ATTENTION_MAX_HEAD_DIM = 256;
const PREFILL_MAX_HEAD_DIM = 128;
/** From this many queries on, the prefill kernel is used (measured: see docs in the report). */
const PREFILL_MIN_QUERIES = 8;

const WG = 64;
const QB = 64;

/** Which kernel runs: 'auto' picks by shape; the others force one (tests, benchmarks). */
export type AttentionPath = 'auto' | 'core' | 'prefill';

/** The kernel `path` resolves to for `p`: 'prefill' only when head_dim fits it. */
export function chooseAttentionKernel(p: AttentionParams, path: AttentionPath = 'auto'): 'core' | 'prefill' {
  if (p.headDim > PREFILL_MAX_HEAD_DIM || path === 'core') return 'core';
  if (path === 'prefill') return 'prefill';
  return p.queries >= PREFILL_MIN_QUERIES ? 'prefill' : 'core';
}

/** Records out [queries, heads·headDim] = attention(q, k, v) per `p` (validated by the caller). */
export function recordAttention(
  rec: Recorder,
  q: BufferRange, // [queries, heads·headDim]
  k: BufferRange, // [≥keys, kvHeads·headDim]
  v: BufferRange, // [≥keys, kvHeads·headDim]
  out: BufferRange, // [queries, heads·headDim]
  p: AttentionParams,
  path: AttentionPath = 'auto',
): void {
  if (p.headDim > ATTENTION_MAX_HEAD_DIM) {
    throw new ShapeError(
      `attention: headDim ${p.headDim} > ${ATTENTION_MAX_HEAD_DIM}; the GPU core supports ≤ 256`,
    );
  }
  const params = packParams(ATTENTION_PARAMS, {
    queries: p.queries,
    keys: p.keys,
    heads: p.heads,
    kv_heads: p.kvHeads,
    head_dim: p.headDim,
    query_start: p.queryStart,
    scale: p.scale,
  });
  if (chooseAttentionKernel(p, path) === 'prefill') {
    const groups = [Math.ceil(p.queries / QB), p.heads] as const;
    rec.dispatch(ATTENTION_PREFILL_KERNEL, { QB }, [q, k, v, out], params, groups);
  } else {
    rec.dispatch(ATTENTION_KERNEL, { WG }, [q, k, v, out], params, grid(p.queries * p.heads));
  }
}
