/**
 * The WebGPU TensorOps factory the SASRec worker uses: acquire a device on `navigator.gpu` and
 * wrap it in `GpuOps` (src/gpu). Failures throw; `chooseBackend` then falls back to the CPU.
 */
import { acquireDevice } from '../gpu/device.ts';
import { GpuOps } from '../gpu/gpu-ops.ts';
import type { Tensor, TensorOps } from '../gpu/ops.ts';

/** Create WebGPU TensorOps on `gpu` (navigator.gpu). */
export async function createWebGpuOps(gpu: GPU): Promise<TensorOps<Tensor>> {
  const context = await acquireDevice(gpu);
  return new GpuOps(context);
}
