import { describe, expect, it } from 'vitest';
import { adapterName, gpuOps, noGpu } from './support.ts';
import { nodeWebGpu } from '../helpers/webgpu-node.ts';
import { DeviceLostError, WebGpuUnavailableError, acquireDevice } from '../../src/gpu/device.ts';

describe('acquireDevice without WebGPU', () => {
  it('rejects a missing navigator.gpu with WebGpuUnavailableError', async () => {
    await expect(acquireDevice(undefined)).rejects.toThrow(WebGpuUnavailableError);
  });
  it('rejects when no adapter is offered', async () => {
    const gpu = { requestAdapter: async () => null } as unknown as GPU;
    await expect(acquireDevice(gpu)).rejects.toThrow(/no WebGPU adapter/);
  });
});

describe.skipIf(noGpu)(`acquireDevice on ${adapterName}`, () => {
  it("requests the adapter's own storage-binding limit", async () => {
    const probe = await nodeWebGpu();
    if (!probe.ok) throw new Error(probe.reason);
    const adapter = await probe.value.gpu.requestAdapter(probe.value.adapterOptions);
    expect(gpuOps.context.limits.maxStorageBufferBindingSize).toBe(
      adapter?.limits.maxStorageBufferBindingSize,
    );
    expect(gpuOps.context.limits.maxStorageBufferBindingSize).toBeGreaterThan(128 * 1024 * 1024 - 1);
    expect(gpuOps.context.shaderF16).toBe(adapter?.features.has('shader-f16'));
  });

  it('reports a lost device as DeviceLostError; our own destroy() does not call onLost', async () => {
    const probe = await nodeWebGpu();
    if (!probe.ok) throw new Error(probe.reason);
    const lostCalls: DeviceLostError[] = [];
    const context = await acquireDevice(probe.value.gpu, {
      adapterOptions: probe.value.adapterOptions,
      onLost: (error) => lostCalls.push(error),
    });
    context.device.destroy();
    const lost = await context.lost;
    expect(lost).toBeInstanceOf(DeviceLostError);
    expect(lost.reason).toBe('destroyed');
    expect(lostCalls).toEqual([]);
  });
});
