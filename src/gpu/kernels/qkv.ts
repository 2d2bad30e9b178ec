/**
 * The fused attention input of a LLaMA layer (qkv.wgsl): the q/k/v projections of the normed x over
 * the stacked weight, bias, RoPE of q and k, and the key/value cache writes in one dispatch (one
 * per row chunk of a quantized weight larger than a binding).
 */
import source from './qkv.wgsl?raw';
import blocks from './quant_blocks.wgsl?raw';
import { grid, kernelSpec } from './spec.ts';
import { packParams, type ParamLayout } from './params.ts';
import type { BufferRange, Recorder } from './recorder.ts';
import type { RowChunk } from './matvec_q.ts';
import type { RopeParams } from '../ops.ts';
import type { QuantType } from '../reference/matvec_q.ts';
import { ShapeError } from '../shapes.ts';

/** `struct Params` of qkv.wgsl. */
export const QKV_PARAMS = [
  ['m', 'u32'],
  ['k', 'u32'],
  ['q_width', 'u32'],
  ['kv_width', 'u32'],
  ['head_dim', 'u32'],
  ['chunk_row', 'u32'],
  ['chunk_rows', 'u32'],
  ['has_bias', 'u32'],
  ['position_start', 'u32'],
  ['cache_row', 'u32'],
  ['theta', 'f32'],
  ['neox', 'u32'],
  ['scaled', 'u32'],
] as const satisfies ParamLayout;

/** The qkv kernel: h, w, bias, factors, out, key_cache, value_cache, params. */
export const QKV_KERNEL = kernelSpec('qkv', `${source}\n${blocks}`, [
  'read',
  'read',
  'read',
  'read',
  'write',
  'write',
  'write',
  'uniform',
]);

/** QUANT override of qkv.wgsl per weight type. */
const QUANT_CODE: Record<QuantType | 'f32', number> = { f32: 0, Q8_0: 1, Q4_0: 2 };
const MAX_TM = 4;
const WG = 64;

/** The stacked weight [qWidth + 2·kvWidth, k]: f32 in one binding, or quantized row chunks of whole heads. */
export interface QkvWeight {
  type: QuantType | 'f32';
  chunks: readonly (RowChunk & { range: BufferRange })[];
}

/** Where q, k and v go: the rotated-q output and the caches (written at rows cacheRow..). */
export interface QkvTargets {
  out: BufferRange; // [m, qWidth]
  keyCache: BufferRange; // [capacity, kvWidth]
  valueCache: BufferRange; // [capacity, kvWidth]
  cacheRow: number;
}

/**
 * Records out [m, qWidth] = rope(q), keyCache[cacheRow + i] = rope(k_i), valueCache[cacheRow + i] = v_i
 * for [q | k | v] = h [m, k] · Wᵀ + bias; `factors` [headDim/2] holds the uploaded
 * `rope.freqFactors` (null: unscaled). Every chunk must hold whole heads.
 */
export function recordQkv(
  rec: Recorder,
  h: BufferRange, // [m, k]
  weight: QkvWeight, // [qWidth + 2·kvWidth, k]
  bias: BufferRange | null, // [qWidth + 2·kvWidth]
  factors: BufferRange | null, // [headDim/2]
  targets: QkvTargets,
  dims: { m: number; k: number; qWidth: number; kvWidth: number } & RopeParams,
): void {
  const tm = Math.max(1, Math.min(MAX_TM, dims.m));
  const overrides = { TM: tm, WG, QUANT: QUANT_CODE[weight.type] };
  for (const chunk of weight.chunks) {
    if (chunk.rowStart % dims.headDim !== 0 || chunk.rows % dims.headDim !== 0) {
      throw new ShapeError(
        `qkv: weight chunk rows ${chunk.rowStart}+${chunk.rows} are not whole heads of ${dims.headDim}`,
      );
    }
    const params = packParams(QKV_PARAMS, {
      m: dims.m,
      k: dims.k,
      q_width: dims.qWidth,
      kv_width: dims.kvWidth,
      head_dim: dims.headDim,
      chunk_row: chunk.rowStart,
      chunk_rows: chunk.rows,
      has_bias: bias ? 1 : 0,
      position_start: dims.positionStart,
      cache_row: targets.cacheRow,
      theta: dims.theta,
      neox: dims.neox ? 1 : 0,
      scaled: factors ? 1 : 0,
    });
    const reads = [h, chunk.range, bias ?? h, factors ?? h];
    const buffers = [...reads, targets.out, targets.keyCache, targets.valueCache];
    const tasks = (chunk.rows / 2) * Math.ceil(dims.m / tm);
    rec.dispatch(QKV_KERNEL, overrides, buffers, params, grid(Math.ceil(tasks / WG)));
  }
}
