import { describe, it } from 'vitest';
import { adapterName, expectClose, gpuOps as ops, noGpu, randomArray, seededRandom } from '../support.ts';
import { embedReference } from '../../../src/gpu/reference/embed.ts';
import { addReference } from '../../../src/gpu/reference/elementwise.ts';
import { layerNormReference, rmsNormReference } from '../../../src/gpu/reference/norm.ts';

describe.skipIf(noGpu)(`embed / add / norms on WebGPU (${adapterName})`, () => {
  it.each([
    [1, 1, 1],
    [7, 50, 3],
    [200, 50, 3417],
    [33, 64, 10],
  ])('embed n=%i d=%i rows=%i matches the reference', async (n, d, rows) => {
    const random = seededRandom(n * 1000 + d);
    const table = randomArray(random, rows * d); // [rows, d]
    const pos = randomArray(random, (n + 2) * d); // [n+2, d]
    const ids = Int32Array.from({ length: n }, () => Math.floor(random() * rows)); // [n]
    const scale = Math.sqrt(d);
    const got = ops.embed(ops.upload(table, [rows, d]), ids, scale, ops.upload(pos, [n + 2, d]), 2);
    expectClose('embed', await ops.read(got), embedReference(table, d, ids, scale, pos, 2), 1e-6, 1e-6);
    const noPos = ops.embed(ops.upload(table, [rows, d]), ids, 1, null, 0);
    expectClose('embed without pos', await ops.read(noPos), embedReference(table, d, ids, 1, null, 0), 0);
  });

  it.each([[1], [7], [50 * 200], [70_000]])('add size=%i matches the reference', async (size) => {
    const random = seededRandom(size);
    const a = randomArray(random, size);
    const b = randomArray(random, size);
    const got = ops.add(ops.upload(a, [size]), ops.upload(b, [size]));
    expectClose('add', await ops.read(got), addReference(a, b), 0);
  });

  it.each([
    [1, 1],
    [1, 50],
    [7, 50],
    [200, 50],
    [3, 130],
    [2, 288], // wider than 256: one workgroup per row
    [70, 257],
    [65, 256],
  ])('layerNorm and rmsNorm rows=%i d=%i match the reference', async (m, d) => {
    const random = seededRandom(m * 31 + d);
    const x = randomArray(random, m * d, 3); // [m, d]
    const gamma = randomArray(random, d); // [d]
    const beta = randomArray(random, d); // [d]
    const [xt, gt, bt] = [ops.upload(x, [m, d]), ops.upload(gamma, [d]), ops.upload(beta, [d])];
    const ln = await ops.read(ops.layerNorm(xt, gt, bt, 1e-8));
    expectClose('layerNorm', ln, layerNormReference(x, gamma, beta, m, d, 1e-8), 1e-5, 1e-5);
    const rms = await ops.read(ops.rmsNorm(xt, gt, 1e-6));
    expectClose('rmsNorm', rms, rmsNormReference(x, gamma, m, d, 1e-6), 1e-5, 1e-5);
  });
});
