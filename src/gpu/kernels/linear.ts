/**
 * GPU Linear layer (register-tiled x·wᵀ + bias, fused relu / residual) and its GATED variant (the
 * LLaMA feed-forward's gate and up projections fused with SwiGLU): wraps linear.wgsl.
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

/** Columns per invocation (TN in linear.wgsl). */
const TN = 4;
/** Most rows per invocation (MAX_TM in linear.wgsl). */
const MAX_TM = 4;
const WG = 64;

/** Rows per invocation for an m-row input: m itself below 4, so decode and scoring waste nothing. */
export function linearRowsPerInvocation(m: number): number {
  return Math.max(1, Math.min(MAX_TM, m));
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
  dispatchLinear(rec, [x, w, bias ?? x, residual ?? x, out], params, dims, false);
}

/** Records out [m, n] = silu(x · gateᵀ) ⊙ (x · upᵀ) for x [m, k], gate and up [n, k], in one dispatch. */
export function recordGatedLinear(
  rec: Recorder,
  x: BufferRange, // [m, k]
  gate: BufferRange, // [n, k]
  up: BufferRange, // [n, k]
  out: BufferRange, // [m, n]
  dims: { m: number; k: number; n: number },
): void {
  const params = packParams(LINEAR_PARAMS, { ...dims, has_bias: 0, relu: 0, has_residual: 0 });
  dispatchLinear(rec, [x, gate, up, x, out], params, dims, true);
}

function dispatchLinear(
  rec: Recorder,
  buffers: readonly BufferRange[], // x, w, bias (GATED: up), residual, out
  params: ArrayBuffer,
  dims: { m: number; n: number },
  gated: boolean,
): void {
  const tm = linearRowsPerInvocation(dims.m);
  const blocks = Math.ceil(dims.m / tm) * Math.ceil(dims.n / TN);
  const overrides = { TM: tm, WG, GATED: gated ? 1 : 0 };
  rec.dispatch(LINEAR_KERNEL, overrides, buffers, params, grid(Math.ceil(blocks / WG)));
}
