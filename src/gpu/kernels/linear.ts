/** GPU Linear layer (tiled x·wᵀ + bias, fused relu / residual): wraps linear.wgsl. */
import source from './linear.wgsl?raw';
import { kernelSpec } from './spec.ts';
import { packParams, type ParamLayout } from './params.ts';
import type { BufferRange, Recorder } from './recorder.ts';

/** `struct Params` of linear.wgsl. */
export const LINEAR_PARAMS = [
  ['m', 'u32'],
  ['k', 'u32'],
  ['n', 'u32'],
  ['has_bias', 'u32'],
  ['relu', 'u32'],
  ['has_residual', 'u32'],
] as const satisfies ParamLayout;

/** The linear kernel: x, w, bias, residual, out, params. */
export const LINEAR_KERNEL = kernelSpec('linear', source, [
  'read',
  'read',
  'read',
  'read',
  'write',
  'uniform',
]);

/** Micro-tile edge in linear.wgsl (each invocation computes 4 × 4 outputs). */
const MICRO = 4;

/**
 * Workgroup shape: 8 × 8 invocations (a 32 × 32 tile) in general; for a few rows (decode, item
 * scoring) 1 × 32 invocations (a 4 × 128 tile) so few invocations idle on missing rows. Both stay
 * under the default 16 KiB of workgroup memory.
 */
export function linearWorkgroup(m: number): { WG_M: number; WG_N: number } {
  return m <= MICRO ? { WG_M: 1, WG_N: 32 } : { WG_M: 8, WG_N: 8 };
}

/** Records out [m, n] = x [m, k] · wᵀ (w [n, k]) + bias → relu? → + residual. */
export function recordLinear(
  rec: Recorder,
  x: BufferRange, // [m, k]
  w: BufferRange, // [n, k]
  bias: BufferRange | null, // [n]
  residual: BufferRange | null, // [m, n]
  out: BufferRange, // [m, n]
  dims: { m: number; k: number; n: number; relu: boolean },
): void {
  const params = packParams(LINEAR_PARAMS, {
    m: dims.m,
    k: dims.k,
    n: dims.n,
    has_bias: bias ? 1 : 0,
    relu: dims.relu ? 1 : 0,
    has_residual: residual ? 1 : 0,
  });
  const wg = linearWorkgroup(dims.m);
  const groups = [Math.ceil(dims.n / (MICRO * wg.WG_N)), Math.ceil(dims.m / (MICRO * wg.WG_M))] as const;
  rec.dispatch(LINEAR_KERNEL, wg, [x, w, bias ?? x, residual ?? x, out], params, groups);
}
