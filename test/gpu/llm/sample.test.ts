import { describe, expect, it } from 'vitest';
import { adapterName, gpuOps as ops, noGpu, randomArray, seededRandom } from '../support.ts';
import { SAMPLE_KERNEL } from '../../../src/gpu/kernels/sample.ts';
import { sampleTokenReference } from '../../../src/llm/sample-reference.ts';

/** GPU ids and CPU reference ids for every (temperature, topP, step) on `logits`. */
async function compare(logits: Float32Array, temperatures: number[], topPs: number[], steps: number) {
  const tensor = ops.upload(logits, [logits.length]);
  const [gpu, cpu]: [number[], number[]] = [[], []];
  for (const temperature of temperatures) {
    for (const topP of topPs) {
      for (let step = 0; step < steps; step++) {
        const p = { temperature, topP, seed: 1234, step };
        gpu.push(await ops.sampleToken(tensor, p));
        cpu.push(sampleTokenReference(logits, p));
      }
    }
  }
  ops.release(tensor);
  return { gpu, cpu };
}

describe.skipIf(noGpu)(`sampling on WebGPU (${adapterName})`, () => {
  it('compiles', async () => {
    await ops.pipelines.check(SAMPLE_KERNEL);
  });

  it.each([[1], [7], [300], [32000]])(
    'random logits n=%i: same seed and step → same token as the CPU reference',
    async (n) => {
      const logits = randomArray(seededRandom(n), n, 8); // [n]
      const { gpu, cpu } = await compare(logits, [0, 0.7, 1.5], [1, 0.9, 0.5, 0.05], 4);
      expect(gpu).toEqual(cpu);
      if (n > 1) expect(new Set(gpu).size).toBeGreaterThan(1); // really sampling
    },
  );

  it('ties (logits rounded to a few levels) and top-p at mass boundaries give the same tokens', async () => {
    const random = seededRandom(99);
    const ties = Float32Array.from({ length: 1000 }, () => Math.round(random() * 4)); // [1000] five levels
    const t = await compare(ties, [0, 1], [1, 0.5, 0.25, 0.01], 6);
    expect(t.gpu).toEqual(t.cpu);
    expect(t.gpu[0]).toBe(Array.from(ties).indexOf(Math.max(...ties))); // greedy: lowest id on ties
    const halves = Float32Array.from([4, 2, 1, 1], Math.log); // p = 0.5, 0.25, 0.125, 0.125
    const h = await compare(halves, [1], [0.5, 0.75, 0.875, 0.4999, 0.5001, 1], 20);
    expect(h.gpu).toEqual(h.cpu);
  });
});
