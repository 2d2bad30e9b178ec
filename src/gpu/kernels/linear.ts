/**
 * GPU Linear layer (x·wᵀ + bias, fused relu / residual): wraps linear.wgsl, whose tiled entry
 * point serves many rows and `linear_rows` serves m ≤ 4 (decode, scoring).
 */
import source from './linear.wgsl?raw';
import { grid, kernelSpec } from './spec.ts';
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

/** The few-rows entry point of linear.wgsl (m ≤ 4): same bindings and params. */
export const LINEAR_ROWS_KERNEL = kernelSpec('linear_rows', source, [
  'read',
  'read',
  'read',
  'read',
  'write',
  'uniform',
]);

/** Largest m served by linear_rows (ROWS in linear.wgsl). */
export const LINEAR_ROWS_MAX = 4;
/** Micro-tile edge of the tiled entry point (each invocation computes 4 × 4 outputs). */
const MICRO = 4;
/** Tiled entry point: 8 × 8 invocations per 32 × 32 tile (16 × 16 measured no faster here). */
const TILED_WG = { WG_M: 8, WG_N: 8 };
const ROWS_WG = 64;

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
  const buffers = [x, w, bias ?? x, residual ?? x, out];
  if (dims.m <= LINEAR_ROWS_MAX) {
    rec.dispatch(
      LINEAR_ROWS_KERNEL,
      { WG_ROWS: ROWS_WG },
      buffers,
      params,
      grid(Math.ceil(dims.n / ROWS_WG)),
    );
    return;
  }
  const groups = [
    Math.ceil(dims.n / (MICRO * TILED_WG.WG_N)),
    Math.ceil(dims.m / (MICRO * TILED_WG.WG_M)),
  ] as const;
  rec.dispatch(LINEAR_KERNEL, TILED_WG, buffers, params, groups);
}
