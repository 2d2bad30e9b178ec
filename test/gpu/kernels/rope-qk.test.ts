import { describe, expect, it } from 'vitest';
import { adapterName, expectClose, gpuOps, noGpu, randomArray, seededRandom } from '../support.ts';
import { ropeReference } from '../../../src/gpu/reference/rope.ts';
import { ShapeError } from '../../../src/gpu/shapes.ts';

describe.skipIf(noGpu)(`rope of q and k in one dispatch, k into the cache (${adapterName})`, () => {
  it.each([
    // [rows, width (q), kWidth, headDim, keyRow, neox, scaled]
    [1, 64, 32, 8, 5, false, false], // stories260K decode (8 heads / 4 kv heads of 8)
    [7, 64, 32, 8, 0, false, false], // stories260K prefill
    [3, 96, 96, 32, 40, true, false], // NEOX, no GQA
    [130, 128, 32, 16, 2, false, true], // prefill, scaled factors
  ])(
    'rows=%i q width=%i k width=%i headDim=%i keyRow=%i neox=%s scaled=%s matches rope + writeRows',
    async (n, width, kWidth, headDim, keyRow, neox, scaled) => {
      const random = seededRandom(n * 31 + width + keyRow);
      const capacity = keyRow + n + 3;
      const [q, k] = [randomArray(random, n * width, 2), randomArray(random, n * kWidth, 2)]; // [n, w]
      const cache = randomArray(random, capacity * kWidth); // [capacity, kWidth]: rows outside stay
      const factors = Float32Array.from({ length: headDim / 2 }, (_, j) => 1 + j / 3); // [headDim/2]
      const p = {
        headDim,
        positionStart: 17,
        theta: 10000,
        neox,
        ...(scaled ? { freqFactors: factors } : {}),
      };
      const wantCache = Float32Array.from(cache);
      wantCache.set(ropeReference(k, n, kWidth, p), keyRow * kWidth);
      const [qt, kt, ct] = [
        gpuOps.upload(q, [n, width]),
        gpuOps.upload(k, [n, kWidth]),
        gpuOps.upload(cache, [capacity, kWidth]),
      ];
      const out = gpuOps.ropeQk(qt, kt, p, ct, keyRow); // [n, width]
      const tolerance = 2e-6 * (17 + n + 1);
      expectClose('q', await gpuOps.read(out), ropeReference(q, n, width, p), tolerance, 1e-5);
      expectClose('key cache', await gpuOps.read(ct), wantCache, tolerance, 1e-5);
      for (const t of [qt, kt, ct, out]) gpuOps.release(t);
    },
  );

  it('refuses keys that do not fit the cache rows by name', () => {
    const [q, k] = [gpuOps.zeros([2, 8]), gpuOps.zeros([2, 8])];
    const cache = gpuOps.zeros([3, 8]);
    const p = { headDim: 8, positionStart: 0, theta: 10000 };
    expect(() => gpuOps.ropeQk(q, k, p, cache, 2)).toThrow(ShapeError);
    for (const t of [q, k, cache]) gpuOps.release(t);
  });
});
