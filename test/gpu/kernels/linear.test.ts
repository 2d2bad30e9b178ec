import { describe, it } from 'vitest';
import { adapterName, expectClose, gpuOps as ops, noGpu, randomArray, seededRandom } from '../support.ts';
import { linearReference } from '../../../src/gpu/reference/linear.ts';

describe.skipIf(noGpu)(`linear on WebGPU (${adapterName})`, () => {
  it.each([
    [1, 1, 1],
    [1, 50, 3418], // scoring all items for one user
    [7, 50, 150], // SASRec in_proj
    [200, 50, 50],
    [33, 17, 65],
    [4, 64, 256],
    [5, 3, 2],
    [2, 50, 67], // few-rows path, n not a multiple of the workgroup
    [3, 1, 130],
  ])('m=%i k=%i n=%i with bias, relu and residual matches the reference', async (m, k, n) => {
    const random = seededRandom(m * 7919 + k * 31 + n);
    const x = randomArray(random, m * k); // [m, k]
    const w = randomArray(random, n * k); // [n, k]
    const bias = randomArray(random, n); // [n]
    const residual = randomArray(random, m * n); // [m, n]
    const [xt, wt] = [ops.upload(x, [m, k]), ops.upload(w, [n, k])];
    const bt = ops.upload(bias, [n]);
    const rt = ops.upload(residual, [m, n]);
    const tol = 1e-5 * Math.sqrt(k);
    const plain = await ops.read(ops.linear(xt, wt, null));
    expectClose('x·wᵀ', plain, linearReference(x, w, m, k, n), tol, 1e-5);
    const fused = await ops.read(ops.linear(xt, wt, bt, { relu: true, residual: rt }));
    expectClose(
      'relu(x·wᵀ+b)+r',
      fused,
      linearReference(x, w, m, k, n, { bias, relu: true, residual }),
      tol,
      1e-5,
    );
    const biasOnly = await ops.read(ops.linear(xt, wt, bt));
    expectClose('x·wᵀ+b', biasOnly, linearReference(x, w, m, k, n, { bias }), tol, 1e-5);
  });
});
