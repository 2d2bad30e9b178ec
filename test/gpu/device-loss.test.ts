/**
 * Device loss on real WebGPU (npm `webgpu` in Node): the request that meets the destroyed device
 * under a loaded SASRec model fails with the named DeviceLostError; by then the engine has re-created
 * a device and re-uploaded the weights, so the next request answers on WebGPU with the PyTorch
 * goldens' ranking. A request in flight when the device is destroyed fails the same way, and the
 * same history sent again answers bit-identically to before the loss. The re-created device compiles
 * the lost one's pipelines in the background (sasrec.stats reports it), so the next ranking compiles
 * none; a cancelled warm-up compiles nothing more.
 */
import { describe, expect, it } from 'vitest';
import { acquireDevice } from '../../src/gpu/device.ts';
import { GpuOps } from '../../src/gpu/gpu-ops.ts';
import type { SasrecStatsResult } from '../../src/protocol/messages-sasrec.ts';
import { createSasrecHandlers } from '../../src/protocol/sasrec-handler.ts';
import { requireOrSkip } from '../helpers/require.ts';
import { nodeWebGpu } from '../helpers/webgpu-node.ts';
import { ORIGIN, ctx, env, goldens } from '../protocol/sasrec-fixture.ts';

const probe = await nodeWebGpu();
const noGpu = requireOrSkip(probe.ok, probe.ok ? '' : `WebGPU device-loss test: ${probe.reason}`);

/** SASRec handlers with the tiny fixture loaded on real WebGPU; `devices` lists every GpuOps they created, in order. */
async function loadedOnWebGpu({
  gpu,
  adapterOptions,
}: {
  gpu: GPU;
  adapterOptions?: GPURequestAdapterOptions;
}) {
  const devices: GpuOps[] = [];
  const h = createSasrecHandlers(
    env({
      gpu,
      createGpuOps: async (g) => {
        const ops = new GpuOps(await acquireDevice(g, { adapterOptions }));
        devices.push(ops);
        return ops;
      },
    }),
  );
  await h['sasrec.load']({ modelUrl: `${ORIGIN}/models/tiny/`, backend: 'webgpu' }, ctx());
  return { h, devices };
}

describe.skipIf(noGpu)('SASRec worker on a lost WebGPU device', () => {
  it('fails the request with DeviceLostError, re-creates the device, reloads the weights and keeps ranking like the goldens', async () => {
    if (!probe.ok) return;
    const { h, devices } = await loadedOnWebGpu(probe.value);
    const [first, second] = goldens.cases;
    const before = await h['sasrec.rank']({ history: first.history, k: goldens.k }, ctx());
    expect(before).toMatchObject({ backend: 'webgpu', ids: first.ids });

    expect(await h['sasrec.loseDevice']({}, ctx())).toEqual({ backend: 'webgpu', destroyed: true });
    await expect(h['sasrec.rank']({ history: second.history, k: goldens.k }, ctx())).rejects.toMatchObject({
      name: 'DeviceLostError',
      reason: 'destroyed',
      message: expect.stringMatching(
        /re-created the WebGPU device and reloaded the model on it\. Send the request again/,
      ),
    });
    expect(devices).toHaveLength(2);
    const after = await h['sasrec.rank']({ history: second.history, k: goldens.k }, ctx());
    expect(after).toMatchObject({ backend: 'webgpu', ids: second.ids });
    after.scores.forEach((s, i) =>
      expect(Math.abs(s - second.scores[i])).toBeLessThan(1e-4 * Math.max(1, Math.abs(second.scores[i]))),
    );

    const again = await h['sasrec.rank']({ history: first.history, k: goldens.k }, ctx());
    expect(again).toMatchObject({ backend: 'webgpu', ids: first.ids });
    expect(devices).toHaveLength(2);
  });

  it('a request in flight when the device is destroyed fails by name; sent again it answers exactly as before the loss', async () => {
    if (!probe.ok) return;
    const { h, devices } = await loadedOnWebGpu(probe.value);
    const [first, second] = goldens.cases;
    const before = await h['sasrec.rank']({ history: first.history, k: goldens.k }, ctx());
    await h['sasrec.rank']({ history: second.history, k: goldens.k }, ctx()); // another history: no cache hit

    const inFlight = h['sasrec.rank']({ history: first.history, k: goldens.k }, ctx());
    devices[0].context.device.destroy(); // the rank above has submitted work and waits on a read-back
    await expect(inFlight).rejects.toMatchObject({
      name: 'DeviceLostError',
      message: expect.stringMatching(
        /device was lost \(destroyed\) during sasrec\.rank; LocalRec re-created/,
      ),
    });
    expect(devices).toHaveLength(2);
    const retried = await h['sasrec.rank']({ history: first.history, k: goldens.k }, ctx());
    expect(retried.backend).toBe('webgpu');
    expect(retried.ids).toEqual(before.ids);
    expect(retried.scores).toEqual(before.scores); // same kernels on a new device: bit-identical

    const next = await h['sasrec.rank']({ history: second.history, k: goldens.k }, ctx());
    expect(next).toMatchObject({ backend: 'webgpu', ids: second.ids });
  });

  it('compiles the lost device’s pipelines on the re-created one in the background; the next ranking compiles none', async () => {
    if (!probe.ok) return;
    const { h, devices } = await loadedOnWebGpu(probe.value);
    const [first] = goldens.cases;
    await h['sasrec.rank']({ history: first.history, k: goldens.k }, ctx());
    const lostVariants = devices[0].pipelines.variants().length;
    expect(lostVariants).toBeGreaterThan(3);
    expect((await h['sasrec.stats']({}, ctx())).warmUp).toBeNull();

    await h['sasrec.loseDevice']({}, ctx());
    await expect(h['sasrec.rank']({ history: first.history, k: goldens.k }, ctx())).rejects.toThrow(
      /re-created the WebGPU device/,
    );
    let stats: SasrecStatsResult = await h['sasrec.stats']({}, ctx());
    for (let polls = 0; polls < 1000 && !stats.warmUp?.done; polls++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      stats = await h['sasrec.stats']({}, ctx());
    }
    expect(stats.warmUp).toEqual({ pipelines: lostVariants, done: true, compiled: lostVariants });
    expect(devices[1].pipelines.variants()).toHaveLength(lostVariants);
    const after = await h['sasrec.rank']({ history: first.history, k: goldens.k }, ctx());
    expect(after).toMatchObject({ backend: 'webgpu', ids: first.ids });
    expect(devices[1].pipelines.variants()).toHaveLength(lostVariants); // nothing compiled in the request

    // a cancelled warm-up stops before compiling anything more
    const fresh = new GpuOps(await acquireDevice(probe.value.gpu));
    const cancelled = new AbortController();
    cancelled.abort();
    expect(await fresh.pipelines.warm(devices[1].pipelines.variants(), cancelled.signal)).toBe(0);
    expect(fresh.pipelines.variants()).toEqual([]);
    fresh.destroy();
  });
});
