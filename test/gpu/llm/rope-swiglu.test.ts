import { describe, it } from 'vitest';
import { adapterName, expectClose, gpuOps as ops, noGpu, randomArray, seededRandom } from '../support.ts';
import { checkRope, ropeReference } from '../../../src/gpu/reference/rope.ts';
import { swigluReference } from '../../../src/gpu/reference/swiglu.ts';
import { ROPE_KERNEL } from '../../../src/gpu/kernels/rope.ts';
import { SWIGLU_KERNEL } from '../../../src/gpu/kernels/swiglu.ts';

describe.skipIf(noGpu)(`rope / swiglu on WebGPU (${adapterName})`, () => {
  it('both kernels compile', async () => {
    await ops.pipelines.check(ROPE_KERNEL);
    await ops.pipelines.check(SWIGLU_KERNEL);
  });

  it.each([
    // [rows, width, headDim, positionStart, theta, neox]
    [1, 2, 2, 0, 10000, false],
    [1, 64, 8, 5, 10000, false], // stories260K q at decode
    [7, 32, 8, 0, 10000, false], // stories260K k at prefill
    [3, 6, 6, 100, 500000, false], // one head, head size not a multiple of 4
    [130, 256, 64, 1000, 10000, false],
    [1, 2, 2, 3, 10000, true],
    [3, 6, 6, 100, 500000, true],
    [5, 896, 64, 17, 1000000, true], // qwen2-0.5B q: 14 heads of 64
    [130, 256, 128, 1000, 10000, true],
  ])(
    'rope rows=%i width=%i headDim=%i start=%i theta=%i neox=%s matches the reference',
    async (n, w, hd, start, theta, neox) => {
      const random = seededRandom(n * 7 + w + start + (neox ? 1 : 0));
      const x = randomArray(random, n * w, 2); // [n, w]
      const p = { headDim: hd, positionStart: start, theta, neox };
      checkRope([n, w], p);
      const got = await ops.read(ops.rope(ops.upload(x, [n, w]), p));
      // f32 angles on the GPU: the error grows with the position (≈ position · 2^-24 rad).
      expectClose('rope', got, ropeReference(x, n, w, p), 2e-6 * (start + n + 1), 1e-5);
    },
  );

  it('scaled rope (Llama 3.1 factors) matches the reference', async () => {
    const random = seededRandom(31);
    const [n, w, hd, start] = [4, 64, 16, 900];
    const x = randomArray(random, n * w, 2); // [n, w]
    const factors = Float32Array.from({ length: hd / 2 }, (_, j) => 1 + j); // [hd/2]
    const p = { headDim: hd, positionStart: start, theta: 500000, freqFactors: factors };
    const got = await ops.read(ops.rope(ops.upload(x, [n, w]), p));
    expectClose('scaled rope', got, ropeReference(x, n, w, p), 2e-6 * (start + n + 1), 1e-5);
  });

  it.each([[1], [5], [172], [1000 * 3 + 1]])('swiglu size=%i matches the reference', async (size) => {
    const random = seededRandom(size + 11);
    const gate = randomArray(random, size, 6); // [size]
    const up = randomArray(random, size, 2); // [size]
    const got = await ops.read(ops.swiglu(ops.upload(gate, [1, size]), ops.upload(up, [1, size])));
    expectClose('swiglu', got, swigluReference(gate, up), 1e-6, 1e-5);
  });
});
