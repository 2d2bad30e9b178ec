/** GPU next-token sampling (greedy / temperature + top-p, seeded): wraps sample.wgsl. */
import source from './sample.wgsl?raw';
import { kernelSpec } from './spec.ts';
import { packParams, type ParamLayout } from './params.ts';
import type { BufferRange, Recorder } from './recorder.ts';
import type { SampleParams } from '../ops.ts';

/** `struct Params` of sample.wgsl. */
export const SAMPLE_PARAMS = [
  ['n', 'u32'],
  ['greedy', 'u32'],
  ['inv_temperature', 'f32'],
  ['top_p', 'f32'],
  ['seed', 'u32'],
  ['step', 'u32'],
] as const satisfies ParamLayout;

/** The sampling kernel: logits, out, params. */
export const SAMPLE_KERNEL = kernelSpec('sample', source, ['read', 'write', 'uniform']);

/** Records the sampling dispatch over logits [n]; returns the 4-byte buffer holding the id. */
export function recordSample(rec: Recorder, logits: BufferRange, n: number, p: SampleParams): GPUBuffer {
  const out = { buffer: rec.pool.acquire(4, 'storage', 'sample id'), size: 4 }; // [1] u32
  const params = packParams(SAMPLE_PARAMS, {
    n,
    greedy: p.temperature === 0 ? 1 : 0,
    inv_temperature: p.temperature === 0 ? 0 : 1 / p.temperature,
    top_p: p.topP,
    seed: p.seed >>> 0,
    step: p.step >>> 0,
  });
  rec.dispatch(SAMPLE_KERNEL, {}, [logits, out], params, [1]);
  return out.buffer;
}
