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
] as const satisfies ParamLayout;

/** The rope kernel: x, out, params. */
export const ROPE_KERNEL = kernelSpec('rope', source, ['read', 'write', 'uniform']);

const WG = 64;

/** Records out [rows, width] = rope(x [rows, width]) for rows at positions positionStart…. */
export function recordRope(
  rec: Recorder,
  x: BufferRange, // [rows, width]
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
  });
  const groups = grid(Math.ceil((dims.rows * dims.width) / 2 / WG));
  rec.dispatch(ROPE_KERNEL, { WG }, [x, out], params, groups);
}
