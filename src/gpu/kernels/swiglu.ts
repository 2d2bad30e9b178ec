/** GPU SwiGLU gate (silu(gate) · up): wraps swiglu.wgsl. */
import source from './swiglu.wgsl?raw';
import { kernelSpec, grid } from './spec.ts';
import { packParams, type ParamLayout } from './params.ts';
import type { BufferRange, Recorder } from './recorder.ts';

/** `struct Params` of swiglu.wgsl. */
export const SWIGLU_PARAMS = [['size', 'u32']] as const satisfies ParamLayout;

/** The swiglu kernel: gate, up, out, params. */
export const SWIGLU_KERNEL = kernelSpec('swiglu', source, ['read', 'read', 'write', 'uniform']);

const WG = 64;

/** Records out [size] = silu(gate [size]) · up [size]. */
export function recordSwiglu(
  rec: Recorder,
  gate: BufferRange,
  up: BufferRange,
  out: BufferRange,
  size: number,
): void {
  const groups = grid(Math.ceil(size / WG));
  rec.dispatch(SWIGLU_KERNEL, { WG }, [gate, up, out], packParams(SWIGLU_PARAMS, { size }), groups);
}
