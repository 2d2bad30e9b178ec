import { describe, expect, it } from 'vitest';
import { CpuOps } from '../../src/gpu/cpu-ops.ts';
import { DeviceLostError } from '../../src/gpu/device.ts';
import type { Tensor, TensorOps } from '../../src/gpu/ops.ts';
import {
  BackendUnavailableError,
  InvalidRequestError,
  ModelLoadError,
  ModelNotLoadedError,
} from '../../src/protocol/errors.ts';
import { createSasrecHandlers, type SasrecHandlerEnv } from '../../src/protocol/sasrec-handler.ts';
import { ITEM_COUNT, ORIGIN, ctx, env, fixtureFetch, goldens, itemKeys } from './sasrec-fixture.ts';

/** CpuOps that report themselves as WebGPU; `tweak` may replace methods to simulate faults. */
function fakeWebGpuOps(tweak: (ops: CpuOps) => void = () => {}): SasrecHandlerEnv['createGpuOps'] {
  return async () => {
    const ops = new CpuOps();
    tweak(ops);
    Object.defineProperty(ops, 'backend', { value: 'webgpu' });
    return ops as unknown as TensorOps<Tensor>;
  };
}

describe('SASRec handlers (CPU, tiny fixture)', () => {
  it('loads from the same origin and falls back to CPU without navigator.gpu, saying why', async () => {
    const requested: string[] = [];
    const h = createSasrecHandlers(env({ fetch: fixtureFetch(requested) }));
    const result = await h['sasrec.load']({ modelUrl: `${ORIGIN}/models/tiny` }, ctx());
    expect(result).toMatchObject({
      modelId: 'sasrec-tiny',
      itemCount: ITEM_COUNT,
      maxLen: 8,
      backend: 'cpu',
    });
    expect(result.fallbackReason).toMatch(/navigator\.gpu/);
    expect(result.itemKeys).toEqual(itemKeys);
    expect(requested.every((u) => u.startsWith(`${ORIGIN}/models/tiny/`))).toBe(true);
  });

  it('ranks like the PyTorch goldens', async () => {
    const h = createSasrecHandlers(env());
    await h['sasrec.load']({ modelUrl: `${ORIGIN}/models/tiny/`, backend: 'cpu' }, ctx());
    for (const c of goldens.cases) {
      const got = await h['sasrec.rank']({ history: c.history, k: goldens.k }, ctx());
      expect(got.ids).toEqual(c.ids);
      got.scores.forEach((s, i) => expect(s).toBeCloseTo(c.scores[i], 4));
      expect(got.backend).toBe('cpu');
    }
  });

  it('reports incremental ranking when the history grows', async () => {
    const h = createSasrecHandlers(env());
    await h['sasrec.load']({ modelUrl: `${ORIGIN}/models/tiny/` }, ctx());
    expect((await h['sasrec.rank']({ history: [3, 4], k: 5 }, ctx())).incremental).toBe(false);
    expect((await h['sasrec.rank']({ history: [3, 4, 9], k: 5 }, ctx())).incremental).toBe(true);
  });

  it('attributes each item to history entries with weights summing to at most 1', async () => {
    const h = createSasrecHandlers(env());
    await h['sasrec.load']({ modelUrl: `${ORIGIN}/models/tiny/` }, ctx());
    const history = [5, 7, 11, 2];
    const ranked = await h['sasrec.rank']({ history, k: 4 }, ctx());
    const why = await h['sasrec.attribution']({ history, items: ranked.ids, top: 2 }, ctx());
    expect(why.because).toHaveLength(4);
    for (const entries of why.because) {
      expect(entries.length).toBeGreaterThan(0);
      expect(entries.length).toBeLessThanOrEqual(2);
      for (const e of entries) expect(history[e.index]).toBe(e.itemId);
      expect(entries.reduce((s, e) => s + e.weight, 0)).toBeLessThanOrEqual(1 + 1e-6);
      if (entries.length === 2) expect(entries[0].weight).toBeGreaterThanOrEqual(entries[1].weight);
    }
  });

  it('refuses bad requests with named errors', async () => {
    const h = createSasrecHandlers(env());
    await expect(h['sasrec.rank']({ history: [1], k: 5 }, ctx())).rejects.toBeInstanceOf(ModelNotLoadedError);
    await expect(h['sasrec.load']({ modelUrl: 'https://cdn.example.com/m/' }, ctx())).rejects.toBeInstanceOf(
      InvalidRequestError,
    );
    await expect(
      h['sasrec.load']({ modelUrl: `${ORIGIN}/models/tiny/`, backend: 'webgpu' }, ctx()),
    ).rejects.toBeInstanceOf(BackendUnavailableError);
    await h['sasrec.load']({ modelUrl: `${ORIGIN}/models/tiny/` }, ctx());
    await expect(h['sasrec.rank']({ history: [], k: 5 }, ctx())).rejects.toThrow(/at least one item/);
    await expect(h['sasrec.rank']({ history: [ITEM_COUNT + 1], k: 5 }, ctx())).rejects.toBeInstanceOf(
      InvalidRequestError,
    );
  });

  it('fails the load with ModelLoadError when items.json is missing', async () => {
    const h = createSasrecHandlers(env({ fetch: fixtureFetch([], false) }));
    await expect(h['sasrec.load']({ modelUrl: `${ORIGIN}/models/tiny/` }, ctx())).rejects.toBeInstanceOf(
      ModelLoadError,
    );
  });

  it('uses WebGPU ops when the factory gives ops that agree with the CPU', async () => {
    const h = createSasrecHandlers(env({ gpu: {} as GPU, createGpuOps: fakeWebGpuOps() }));
    const result = await h['sasrec.load']({ modelUrl: `${ORIGIN}/models/tiny/`, backend: 'webgpu' }, ctx());
    expect(result.backend).toBe('webgpu');
    expect(result.fallbackReason).toBeUndefined();
    const forced = await h['sasrec.load']({ modelUrl: `${ORIGIN}/models/tiny/`, backend: 'cpu' }, ctx());
    expect(forced.backend).toBe('cpu');
    expect((await h['sasrec.rank']({ history: [1], k: 3 }, ctx())).backend).toBe('cpu');
  });

  it("on 'auto', calibrates WebGPU against the CPU on the loaded model and reports the figures", async () => {
    const h = createSasrecHandlers(env({ gpu: {} as GPU, createGpuOps: fakeWebGpuOps() }));
    const result = await h['sasrec.load']({ modelUrl: `${ORIGIN}/models/tiny/` }, ctx());
    expect(result.calibration).toMatch(/webgpu: full [\d.]+ ms/);
    expect(result.calibration).toMatch(/cpu: full [\d.]+ ms/);
    if (result.backend === 'cpu') expect(result.fallbackReason).toMatch(/CPU was faster/);
    else expect(result.fallbackReason).toBeUndefined();
  });

  it('falls back to CPU when the WebGPU ops disagree with the CPU reference', async () => {
    const wrong = fakeWebGpuOps((ops) => {
      const read = ops.read.bind(ops);
      ops.read = async (x) => (await read(x)).map((v) => v + 0.01);
    });
    const h = createSasrecHandlers(env({ gpu: {} as GPU, createGpuOps: wrong }));
    const result = await h['sasrec.load']({ modelUrl: `${ORIGIN}/models/tiny/` }, ctx());
    expect(result.backend).toBe('cpu');
    expect(result.fallbackReason).toMatch(/differ from the CPU reference/);
  });

  it('fails each request that meets a lost device, moves the model to the CPU when the new device is lost too, and keeps answering', async () => {
    let lost = false;
    const flaky = fakeWebGpuOps((ops) => {
      const topK = ops.topK.bind(ops);
      ops.topK = (scores, k, exclude) => {
        if (lost) throw DeviceLostError.fromLoss('unknown', 'test: device reset');
        return topK(scores, k, exclude);
      };
    });
    const h = createSasrecHandlers(env({ gpu: {} as GPU, createGpuOps: flaky }));
    await h['sasrec.load']({ modelUrl: `${ORIGIN}/models/tiny/`, backend: 'webgpu' }, ctx());
    const c = goldens.cases[0];
    expect((await h['sasrec.rank']({ history: c.history, k: goldens.k }, ctx())).backend).toBe('webgpu');
    lost = true;
    await expect(h['sasrec.rank']({ history: c.history, k: goldens.k }, ctx())).rejects.toMatchObject({
      name: 'DeviceLostError',
      message: expect.stringMatching(
        /lost \(unknown\) during sasrec\.rank; LocalRec re-created the WebGPU device/,
      ),
    });
    // the re-created device is lost too: that request fails, and the model moves to the CPU
    await expect(h['sasrec.rank']({ history: c.history, k: goldens.k }, ctx())).rejects.toMatchObject({
      name: 'DeviceLostError',
      message: expect.stringMatching(/lost the re-created WebGPU device too and moved the model to the CPU/),
    });
    const after = await h['sasrec.rank']({ history: c.history, k: goldens.k }, ctx());
    expect(after.backend).toBe('cpu');
    expect(after.ids).toEqual(c.ids);
  });

  it('fails the request that meets a lost device with DeviceLostError, re-creates the device, and the next request answers on it', async () => {
    let created = 0;
    let lostFirst = false;
    const lostOnce = fakeWebGpuOps((ops) => {
      const instance = ++created; // only the first device is lost
      const topK = ops.topK.bind(ops);
      ops.topK = (scores, k, exclude) => {
        if (instance === 1 && lostFirst) throw DeviceLostError.fromLoss('unknown', 'test: device reset');
        return topK(scores, k, exclude);
      };
    });
    const h = createSasrecHandlers(env({ gpu: {} as GPU, createGpuOps: lostOnce }));
    await h['sasrec.load']({ modelUrl: `${ORIGIN}/models/tiny/`, backend: 'webgpu' }, ctx());
    const c = goldens.cases[0];
    expect((await h['sasrec.rank']({ history: c.history, k: goldens.k }, ctx())).backend).toBe('webgpu');
    lostFirst = true;
    const failed = h['sasrec.rank']({ history: c.history, k: goldens.k }, ctx());
    await expect(failed).rejects.toBeInstanceOf(DeviceLostError);
    await expect(failed).rejects.toMatchObject({
      reason: 'unknown',
      message: expect.stringMatching(/Send the request again/),
    });
    expect(created).toBe(2); // re-created before the request failed
    const next = await h['sasrec.rank']({ history: c.history, k: goldens.k }, ctx());
    expect(next).toMatchObject({ backend: 'webgpu', ids: c.ids });
    expect(created).toBe(2);
  });
});
