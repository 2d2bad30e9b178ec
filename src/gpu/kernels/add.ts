/** GPU element-wise addition: wraps add.wgsl. */
import source from './add.wgsl?raw';
import { kernelSpec, grid } from './spec.ts';
import { packParams, type ParamLayout } from './params.ts';
import type { BufferRange, Recorder } from './recorder.ts';

/** `struct Params` of add.wgsl. */
export const ADD_PARAMS = [['size', 'u32']] as const satisfies ParamLayout;

/** The add kernel: a, b, out, params. */
export const ADD_KERNEL = kernelSpec('add', source, ['read', 'read', 'write', 'uniform']);

const WG = 64;

/** Records out [size] = a [size] + b [size]. */
export function recordAdd(
  rec: Recorder,
  a: BufferRange,
  b: BufferRange,
  out: BufferRange,
  size: number,
): void {
  const groups = grid(Math.ceil(size / WG));
  rec.dispatch(ADD_KERNEL, { WG }, [a, b, out], packParams(ADD_PARAMS, { size }), groups);
}
