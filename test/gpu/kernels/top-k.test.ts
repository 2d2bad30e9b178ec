import { describe, expect, it } from 'vitest';
import { adapterName, gpuOps as ops, noGpu, randomArray, seededRandom } from '../support.ts';
import { topKReference } from '../../../src/gpu/reference/top-k.ts';

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
});
