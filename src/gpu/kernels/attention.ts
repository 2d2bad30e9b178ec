/** GPU attention core (causal + padding mask, GQA, query offset, scale): wraps attention.wgsl. */
import source from './attention.wgsl?raw';
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

/** Largest head dimension the kernel supports (MAX_HEAD_DIM in attention.wgsl). */
export const ATTENTION_MAX_HEAD_DIM = 256;

const WG = 64;

/** Records out [queries, heads·headDim] = attention(q, k, v) per `p` (validated by the caller). */
export function recordAttention(
  rec: Recorder,
  q: BufferRange, // [queries, heads·headDim]
  k: BufferRange, // [≥keys, kvHeads·headDim]
  v: BufferRange, // [≥keys, kvHeads·headDim]
  out: BufferRange, // [queries, heads·headDim]
  p: AttentionParams,
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
  rec.dispatch(ATTENTION_KERNEL, { WG }, [q, k, v, out], params, grid(p.queries * p.heads));
}
