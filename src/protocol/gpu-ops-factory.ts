/**
 * The WebGPU TensorOps factory the SASRec worker uses.
 *
 * SEAM: `src/gpu/gpu-ops.ts` (kernel engineer) has not landed yet. Until it does, this acquires a
 * device (so adapter problems are reported truthfully) and then refuses, so 'auto' falls back to
 * CPU and says why. Replace the refusal with `new GpuOps(context)` when it exists.
 */
import { acquireDevice } from '../gpu/device.ts';
import type { Tensor, TensorOps } from '../gpu/ops.ts';
import { BackendUnavailableError } from './errors.ts';

/** Create WebGPU TensorOps on `gpu` (navigator.gpu). */
export async function createWebGpuOps(gpu: GPU): Promise<TensorOps<Tensor>> {
  const context = await acquireDevice(gpu);
  context.device.destroy();
  throw new BackendUnavailableError(
    `WebGPU adapter "${context.description}" found, but the WebGPU kernels (src/gpu/gpu-ops.ts) are not in this build yet`,
  );
}
