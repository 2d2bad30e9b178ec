/**
 * An adapter whose limits are too small for the model (maxStorageBufferBindingSize below the item
 * embedding's size): 'auto' falls back to the CPU and says why; an explicit 'webgpu' refuses with
 * the buffer pool's BindingTooLargeError naming the sizes.
 */
import { describe, expect, it } from 'vitest';
import { BindingTooLargeError } from '../../src/gpu/buffers.ts';
import { CpuOps } from '../../src/gpu/cpu-ops.ts';
import type { Tensor, TensorOps } from '../../src/gpu/ops.ts';
import { createSasrecHandlers, type SasrecHandlerEnv } from '../../src/protocol/sasrec-handler.ts';
import { ORIGIN, ctx, env, goldens } from './sasrec-fixture.ts';

/** Largest binding of the fake adapter: fits the small self-check, not the 38 x d item embedding. */
const MAX_BINDING_BYTES = 256;

/** CpuOps posing as WebGPU with a tiny maxStorageBufferBindingSize (uploads above it throw, as BufferPool does). */
const smallLimitsGpu: SasrecHandlerEnv['createGpuOps'] = async () => {
  const ops = new CpuOps();
  const upload = ops.upload.bind(ops);
  ops.upload = (data, shape, label) => {
    if (data.byteLength > MAX_BINDING_BYTES) {
      throw new BindingTooLargeError(
        `"${label}" needs ${data.byteLength} bytes in one binding but this adapter allows ${MAX_BINDING_BYTES}; ` +
          'use a smaller model or an adapter with a larger maxStorageBufferBindingSize',
      );
    }
    return upload(data, shape, label);
  };
  Object.defineProperty(ops, 'backend', { value: 'webgpu' });
  return ops as unknown as TensorOps<Tensor>;
};

describe('SASRec load on an adapter with too small limits', () => {
  it("'auto' falls back to the CPU, says why, and ranks like the goldens", async () => {
    const h = createSasrecHandlers(env({ gpu: {} as GPU, createGpuOps: smallLimitsGpu }));
    const loaded = await h['sasrec.load']({ modelUrl: `${ORIGIN}/models/tiny/`, backend: 'auto' }, ctx());
    expect(loaded.backend).toBe('cpu');
    expect(loaded.fallbackReason).toMatch(/this adapter allows 256/);
    const c = goldens.cases[0];
    const got = await h['sasrec.rank']({ history: c.history, k: goldens.k }, ctx());
    expect(got.ids).toEqual(c.ids);
  });

  it("'webgpu' refuses with BindingTooLargeError carrying the limit", async () => {
    const h = createSasrecHandlers(env({ gpu: {} as GPU, createGpuOps: smallLimitsGpu }));
    const load = h['sasrec.load']({ modelUrl: `${ORIGIN}/models/tiny/`, backend: 'webgpu' }, ctx());
    await expect(load).rejects.toBeInstanceOf(BindingTooLargeError);
    await expect(load).rejects.toThrow(/this adapter allows 256/);
  });
});
