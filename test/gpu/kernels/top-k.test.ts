import { describe, expect, it } from 'vitest';
import { adapterName, gpuOps as ops, noGpu, randomArray, seededRandom } from '../support.ts';
import { topKReference } from '../../../src/gpu/reference/top-k.ts';
import { TOP_K_CHUNK, planTopK } from '../../../src/gpu/kernels/top_k.ts';

function expectSameTopK(got: { ids: Int32Array; scores: Float32Array }, want: typeof got): void {
  const gotIds = Array.from(got.ids);
  const wantIds = Array.from(want.ids);
  const first = wantIds.findIndex((id, i) => gotIds[i] !== id);
  expect(first, `first differing rank ${first}: got id ${gotIds[first]}, want id ${wantIds[first]}`).toBe(-1);
  expect(gotIds.length).toBe(wantIds.length);
  expect(Array.from(got.scores)).toEqual(Array.from(want.scores));
}

describe.skipIf(noGpu)(`top_k on WebGPU (${adapterName})`, () => {
  it.each([
    [1, 1, 0],
    [7, 3, 2],
    [3418, 50, 200], // SASRec ML-1M: all items, history excluded
    [3418, 256, 0],
    [1024, 10, 0],
    [1025, 10, 5],
    [32000, 100, 10], // an LLM vocabulary: three passes
  ])('n=%i k=%i exclude=%i matches the reference', async (n, k, excluded) => {
    const random = seededRandom(n + k * 7 + excluded);
    const scores = randomArray(random, n, 10); // [n]
    const exclude = Int32Array.from({ length: excluded }, () => Math.floor(random() * n)); // [e], unsorted
    const got = await ops.topK(ops.upload(scores, [1, n]), k, exclude);
    expectSameTopK(got, topKReference(scores, k, exclude));
  });

  it('breaks ties towards the lower index and ranks NaN below −∞, -0 equal to +0', async () => {
    const scores = Float32Array.from([0, 5, NaN, 5, -Infinity, -0, 5, 1]); // [8]
    const got = await ops.topK(ops.upload(scores, [1, 8]), 8, Int32Array.from([6]));
    expect(Array.from(got.ids)).toEqual([1, 3, 7, 0, 5, 4, 2]);
    expect(Array.from(topKReference(scores, 8, Int32Array.from([6])).ids)).toEqual([1, 3, 7, 0, 5, 4, 2]);
  });

  it('returns fewer ids when fewer are eligible', async () => {
    const got = await ops.topK(ops.upload(Float32Array.from([1, 2, 3]), [3]), 5, Int32Array.from([2, 0]));
    expect(Array.from(got.ids)).toEqual([1]);
    expect(Array.from(got.scores)).toEqual([2]);
  });

  it('many ties across chunks keep index order', async () => {
    const scores = new Float32Array(5000).fill(1); // [5000]
    const got = await ops.topK(ops.upload(scores, [5000]), 20, Int32Array.from([0, 3]));
    expect(Array.from(got.ids)).toEqual([1, 2, ...Array.from({ length: 18 }, (_, i) => i + 4)]);
  });

  /** Runs top-k on the GPU and compares it with the reference. */
  async function expectReference(scores: Float32Array, k: number, exclude: Int32Array): Promise<void> {
    const got = await ops.topK(ops.upload(scores, [1, scores.length]), k, exclude);
    expectSameTopK(got, topKReference(scores, k, exclude));
  }

  it.each([
    ['ascending', (i: number) => i],
    ['descending (every top score in the first buckets)', (i: number) => -i],
    ['sawtooth over 17 values', (i: number) => i % 17],
  ])('prefilter stays exact on %s scores, with exclusions', async (_, value) => {
    const n = 3418;
    const scores = Float32Array.from({ length: n }, (_, i) => value(i)); // [n]
    const exclude = Int32Array.from({ length: 199 }, (_, i) => (i * 37) % n); // [199]
    for (const k of [1, 50, 256]) await expectReference(scores, k, exclude);
  });

  it('many ties at the threshold overflow the candidate list and still match (k=50, 2 values)', async () => {
    const random = seededRandom(5);
    const scores = Float32Array.from({ length: 3418 }, () => (random() < 0.5 ? 1 : 2)); // [3418]
    const exclude = Int32Array.from([0, 5, 7, 3000]); // [4]
    await expectReference(scores, 50, exclude);
    // The same with the ten best scores at the very end, after 3000 tied candidates.
    const late = Float32Array.from({ length: 3418 }, (_, i) => (i >= 3408 ? 3 : i < 3000 ? 2 : 1)); // [3418]
    await expectReference(late, 50, exclude);
  });

  it('ties, NaN and -Infinity mixed with exclusions (seeded, several sizes)', async () => {
    const random = seededRandom(9);
    const palette = [NaN, -Infinity, -1, 0, 0.5, 3, Infinity];
    for (const [n, k] of [
      [5, 5],
      [257, 256],
      [2000, 64],
      [4097, 3],
    ]) {
      const scores = Float32Array.from({ length: n }, () => palette[Math.floor(random() * palette.length)]); // [n]
      const exclude = Int32Array.from({ length: n >> 3 }, () => Math.floor(random() * n)); // [n/8]
      await expectReference(scores, k, exclude);
    }
  });

  it('every id excluded gives an empty result', async () => {
    const got = await ops.topK(ops.upload(Float32Array.from([1, 2, 3]), [3]), 2, Int32Array.from([0, 1, 2]));
    expect(Array.from(got.ids)).toEqual([]);
  });
});

describe('planTopK (prefilter sizes)', () => {
  it.each([
    [1, 1],
    [7, 7],
    [3418, 50],
    [3418, 256],
    [32000, 100],
    [200_000, 256],
  ])('n=%i k=%i: k ≤ buckets ≤ TOP_K_CHUNK and the buckets cover n', (n, k) => {
    const plan = planTopK(n, k);
    expect(plan.buckets).toBeGreaterThanOrEqual(k);
    expect(plan.buckets).toBeLessThanOrEqual(TOP_K_CHUNK);
    expect(plan.bucketSize * plan.buckets).toBeGreaterThanOrEqual(n);
    expect(plan.bucketSize * (plan.buckets - 1)).toBeLessThan(n);
    expect(plan.capacity).toBe(TOP_K_CHUNK - k);
  });

  it('ML-1M scoring: 3418 scores, top-50 → buckets of 17', () => {
    expect(planTopK(3418, 50)).toEqual({ bucketSize: 17, buckets: 202, capacity: 974 });
  });
});
