/** GPU LayerNorm / RMSNorm over rows: wraps layer_norm.wgsl (per-invocation rows when d ≤ 256). */
import source from './layer_norm.wgsl?raw';
import { kernelSpec, grid } from './spec.ts';
import { packParams, type ParamLayout } from './params.ts';
import type { BufferRange, Recorder } from './recorder.ts';

/** `struct Params` of layer_norm.wgsl. */
export const LAYER_NORM_PARAMS = [
  ['rows', 'u32'],
  ['d', 'u32'],
  ['rms', 'u32'],
  ['eps', 'f32'],
] as const satisfies ParamLayout;

/** The layer_norm kernel: x, gamma, beta, out, params. */
export const LAYER_NORM_KERNEL = kernelSpec('layer_norm', source, [
  'read',
  'read',
  'read',
  'write',
  'uniform',
]);

/** Row-per-invocation entry point of layer_norm.wgsl (no barriers), for rows of ≤ 256 values. */
export const LAYER_NORM_ROWS_KERNEL = kernelSpec('layer_norm_rows', source, [
  'read',
  'read',
  'read',
  'write',
  'uniform',
]);

/** Widest row served by layer_norm_rows; wider rows get a workgroup each. */
export const LAYER_NORM_ROWS_MAX_D = 256;
const WG = 64;

/** Records out [rows, d] = norm(x [rows, d]); `beta` null selects RMSNorm. */
export function recordLayerNorm(
  rec: Recorder,
  x: BufferRange, // [rows, d]
  gamma: BufferRange, // [d]
  beta: BufferRange | null, // [d]
  out: BufferRange, // [rows, d]
  dims: { rows: number; d: number; eps: number },
): void {
  const params = packParams(LAYER_NORM_PARAMS, {
    rows: dims.rows,
    d: dims.d,
    rms: beta ? 0 : 1,
    eps: dims.eps,
  });
  const buffers = [x, gamma, beta ?? gamma, out];
  if (dims.d <= LAYER_NORM_ROWS_MAX_D) {
    rec.dispatch(LAYER_NORM_ROWS_KERNEL, { WG_ROWS: WG }, buffers, params, grid(Math.ceil(dims.rows / WG)));
  } else {
    rec.dispatch(LAYER_NORM_KERNEL, { WG }, buffers, params, grid(dims.rows));
  }
}
