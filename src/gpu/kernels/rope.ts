/** GPU rotary position embedding (pair or NEOX layout): wraps rope.wgsl. */
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
] as const satisfies ParamLayout;

/** The rope kernel: x, factors, out, params. */
export const ROPE_KERNEL = kernelSpec('rope', source, ['read', 'read', 'write', 'uniform']);

const WG = 64;

/**
 * Records out [rows, width] = rope(x [rows, width]) for rows at positions positionStart…;
 * `factors` [headDim/2] holds the uploaded `dims.freqFactors` (null: unscaled).
 */
export function recordRope(
  rec: Recorder,
  x: BufferRange, // [rows, width]
  factors: BufferRange | null, // [headDim/2]
  out: BufferRange, // [rows, width]
  dims: { rows: number; width: number } & RopeParams,
): void {
  const params = packParams(ROPE_PARAMS, {
    rows: dims.rows,
    width: dims.width,
    head_dim: dims.headDim,
    position_start: dims.positionStart,
    theta: dims.theta,
    neox: dims.neox ? 1 : 0,
    scaled: factors ? 1 : 0,
  });
  const pairs = (dims.rows * dims.width) / 2;
  // x stands in for the factors when unscaled
  rec.dispatch(ROPE_KERNEL, { WG }, [x, factors ?? x, out], params, grid(Math.ceil(pairs / WG)));
}
