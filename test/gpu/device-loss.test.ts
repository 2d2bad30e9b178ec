/**
 * Device loss on real WebGPU (npm `webgpu` in Node): after the device under a loaded SASRec model is
 * destroyed, the next request re-creates a device, re-uploads the weights and answers on WebGPU
 * with the PyTorch goldens' ranking; the request says what happened. A request in flight when the
 * device is destroyed is retried on the new device and answers bit-identically to before the loss.
 */
import { describe, expect, it } from 'vitest';
import { acquireDevice } from '../../src/gpu/device.ts';
import { GpuOps } from '../../src/gpu/gpu-ops.ts';
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
  it('re-creates the device, reloads the weights and keeps ranking like the goldens', async () => {
    if (!probe.ok) return;
    const { h, devices } = await loadedOnWebGpu(probe.value);
    const [first, second] = goldens.cases;
    const before = await h['sasrec.rank']({ history: first.history, k: goldens.k }, ctx());
    expect(before).toMatchObject({ backend: 'webgpu', ids: first.ids });

    expect(await h['sasrec.loseDevice']({}, ctx())).toEqual({ backend: 'webgpu', destroyed: true });
    const after = await h['sasrec.rank']({ history: second.history, k: goldens.k }, ctx());
    expect(after).toMatchObject({ backend: 'webgpu', ids: second.ids });
    expect(after.recovered).toMatch(/re-created it and reloaded the model/);
    expect(devices).toHaveLength(2);
    after.scores.forEach((s, i) =>
      expect(Math.abs(s - second.scores[i])).toBeLessThan(1e-4 * Math.max(1, Math.abs(second.scores[i]))),
    );

    const again = await h['sasrec.rank']({ history: first.history, k: goldens.k }, ctx());
    expect(again).toMatchObject({ backend: 'webgpu', ids: first.ids });
    expect(again.recovered).toBeUndefined();
  });

  it('a request in flight when the device is destroyed answers exactly as before the loss', async () => {
    if (!probe.ok) return;
    const { h, devices } = await loadedOnWebGpu(probe.value);
    const [first, second] = goldens.cases;
    const before = await h['sasrec.rank']({ history: first.history, k: goldens.k }, ctx());
    await h['sasrec.rank']({ history: second.history, k: goldens.k }, ctx()); // another history: no cache hit

    const inFlight = h['sasrec.rank']({ history: first.history, k: goldens.k }, ctx());
    devices[0].context.device.destroy(); // the rank above has submitted work and waits on a read-back
    const during = await inFlight;
    expect(during.recovered).toMatch(/device was lost \(destroyed\).*re-created it and reloaded the model/);
    expect(devices).toHaveLength(2);
    expect(during.ids).toEqual(before.ids);
    expect(during.scores).toEqual(before.scores); // same kernels on a new device: bit-identical

    const next = await h['sasrec.rank']({ history: second.history, k: goldens.k }, ctx());
    expect(next).toMatchObject({ backend: 'webgpu', ids: second.ids });
    expect(next.recovered).toBeUndefined();
  });
});
