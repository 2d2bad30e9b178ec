/**
 * `sasrec.load` progress: 'fetch' bytes up to the manifest's listed total, 'backend', 'upload' bytes
 * up to the weights' size, 'compile' only on WebGPU; a Cancel during the upload or compile step
 * fails the load with CancelledError and the model loaded before keeps ranking.
 */
import { readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FastCpuOps } from '../../src/gpu/cpu-fast/fast-cpu-ops.ts';
import { CancelledError } from '../../src/protocol/errors.ts';
import type { Progress } from '../../src/protocol/messages.ts';
import type { HandlerContext } from '../../src/protocol/rpc.ts';
import { createSasrecHandlers } from '../../src/protocol/sasrec-handler.ts';
import { ctx, env, fixtureDir, goldens } from './sasrec-fixture.ts';

const MODEL = { modelUrl: '/models/tiny/' };
const manifest = JSON.parse(readFileSync(`${fixtureDir}manifest.json`, 'utf8')) as {
  tensors: { nbytes: number }[];
};
const tensorBytes = manifest.tensors.reduce((sum, t) => sum + t.nbytes, 0);
/** A "WebGPU" whose ops are FastCpuOps: the handler takes the WebGPU path (upload, then compile). */
const fakeWebgpu = env({ gpu: {} as GPU, createGpuOps: async () => new FastCpuOps() });

/** A request context recording progress; `cancelAt` aborts the request when a report matches it. */
function recording(cancelAt?: (p: Progress) => boolean): { ctx: HandlerContext; seen: Progress[] } {
  const controller = new AbortController();
  const seen: Progress[] = [];
  return {
    seen,
    ctx: {
      signal: controller.signal,
      progress: (p) => {
        seen.push(p);
        if (cancelAt?.(p)) controller.abort();
      },
      throwIfCancelled: () => {
        if (controller.signal.aborted) throw new CancelledError('cancelled by the test');
      },
    },
  };
}

const last = (seen: Progress[], stage: string) => seen.filter((p) => p.stage === stage).at(-1);

describe('sasrec.load progress', () => {
  it('reports read bytes, then weight bytes handed to the CPU backend (no compile step)', async () => {
    expect(tensorBytes).toBe(3360);
    const { ctx: c, seen } = recording();
    await createSasrecHandlers(env())['sasrec.load']({ ...MODEL, backend: 'cpu' }, c);
    const stages = seen.map((p) => p.stage).filter((s, i, all) => s !== all[i - 1]);
    expect(stages).toEqual(['fetch', 'backend', 'upload']);
    const weights = statSync(`${fixtureDir}weights.safetensors`).size;
    // the fixture's manifest lists weights.safetensors only (the test's items.json is not counted)
    expect(last(seen, 'fetch')).toMatchObject({ done: weights, total: weights });
    const upload = last(seen, 'upload')!;
    expect(upload.done).toBe(upload.total);
    // every f32 tensor of the manifest once: 3360 bytes (item_emb 912, pos_emb 192, …), by hand
    expect(upload.total).toBe(tensorBytes);
    expect(upload.message).toBe('Uploading weights to the CPU backend…');
    const uploads = seen.filter((p) => p.stage === 'upload').map((p) => p.done!);
    expect(uploads).toEqual([...uploads].sort((a, b) => a - b));
    expect(uploads.length).toBeGreaterThan(5); // one report per tensor
  });

  it('on WebGPU: uploads to the GPU, then compiles by a first ranking', async () => {
    const { ctx: c, seen } = recording();
    await createSasrecHandlers(fakeWebgpu)['sasrec.load']({ ...MODEL, backend: 'webgpu' }, c);
    const stages = seen.map((p) => p.stage).filter((s, i, all) => s !== all[i - 1]);
    expect(stages).toEqual(['fetch', 'backend', 'upload', 'compile']);
    expect(last(seen, 'upload')?.message).toBe('Uploading weights to the GPU…');
  });

  for (const stage of ['upload', 'compile']) {
    it(`a Cancel during '${stage}' fails the load and the model before keeps ranking`, async () => {
      const h = createSasrecHandlers(fakeWebgpu);
      await h['sasrec.load']({ ...MODEL, backend: 'webgpu' }, ctx());
      const { ctx: c } = recording((p) => p.stage === stage);
      await expect(h['sasrec.load']({ ...MODEL, backend: 'webgpu' }, c)).rejects.toThrow(CancelledError);
      const [first] = goldens.cases;
      const got = await h['sasrec.rank']({ history: first.history, k: goldens.k }, ctx());
      expect(got.ids).toEqual(first.ids);
    });
  }
});
