/** GPU LayerNorm / RMSNorm over rows: wraps layer_norm.wgsl (one workgroup per row). */
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
  rec.dispatch(LAYER_NORM_KERNEL, { WG }, [x, gamma, beta ?? gamma, out], params, grid(dims.rows));
}
