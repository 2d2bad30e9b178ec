/**
 * GPU rotary position embedding (pair or NEOX layout): wraps rope.wgsl. One dispatch can also
 * rotate the keys and write them straight into the KV cache (`keys`).
 */
import source from './rope.wgsl?raw';
import { kernelSpec, grid } from './spec.ts';
import { packParams, type ParamLayout } from './params.ts';
import type { BufferRange, Recorder } from './recorder.ts';
import type { RopeParams } from '../ops.ts';

/** `struct Params` of rope.wgsl. */
export const ROPE_PARAMS = [
  ['rows', 'u32'],
  ['width', 'u32'],
  ['head_dim', 'u32'],
  ['position_start', 'u32'],
  ['theta', 'f32'],
  ['neox', 'u32'],
  ['scaled', 'u32'],
  ['k_width', 'u32'],
  ['k_out_row', 'u32'],
] as const satisfies ParamLayout;

/** The rope kernel: x, factors, out, x_k, out_k, params. */
export const ROPE_KERNEL = kernelSpec('rope', source, ['read', 'read', 'write', 'read', 'write', 'uniform']);

/** Keys rotated in the same dispatch: x [rows, width] → rows outRow.. of out [capacity, width]. */
export interface RopeKeys {
  x: BufferRange; // [rows, width]
  out: BufferRange; // [capacity, width]
  width: number;
  outRow: number;
}

const WG = 64;

/**
 * Records out [rows, width] = rope(x [rows, width]) for rows at positions positionStart…, and with
 * `keys` also keys.out[outRow + i] = rope(keys.x[i]); `factors` [headDim/2] holds the uploaded
 * `dims.freqFactors` (null: unscaled).
 */
export function recordRope(
  rec: Recorder,
  x: BufferRange, // [rows, width]
  factors: BufferRange | null, // [headDim/2]
  out: BufferRange, // [rows, width]
  dims: { rows: number; width: number } & RopeParams,
  keys: RopeKeys | null = null,
): void {
  const params = packParams(ROPE_PARAMS, {
    rows: dims.rows,
    width: dims.width,
    head_dim: dims.headDim,
    position_start: dims.positionStart,
    theta: dims.theta,
    neox: dims.neox ? 1 : 0,
    scaled: factors ? 1 : 0,
    k_width: keys?.width ?? 0,
    k_out_row: keys?.outRow ?? 0,
  });
  const pairs = (dims.rows * (dims.width + (keys?.width ?? 0))) / 2;
  // x stands in for the read bindings a call does not use (unscaled, no keys); out_k needs a
  // buffer of its own (writable bindings must not alias)
  const keysOut = keys?.out ?? { buffer: rec.pool.acquire(16, 'storage', 'rope: no keys'), size: 16 };
  if (!keys) rec.pool.release(keysOut.buffer); // reusable after the submit that binds it
  const buffers = [x, factors ?? x, out, keys?.x ?? x, keysOut];
  rec.dispatch(ROPE_KERNEL, { WG }, buffers, params, grid(Math.ceil(pairs / WG)));
}
