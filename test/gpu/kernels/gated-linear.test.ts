import { describe, expect, it } from 'vitest';
import { adapterName, expectClose, gpuOps, noGpu, randomArray, seededRandom } from '../support.ts';
import { GpuOps, QuantizedTensorUseError } from '../../../src/gpu/gpu-ops.ts';
import { linearReference } from '../../../src/gpu/reference/linear.ts';
import { matvecQuantReference, type QuantType } from '../../../src/gpu/reference/matvec_q.ts';
import { gatedLinearReference } from '../../../src/gpu/reference/swiglu.ts';
import { quantizeMatrix } from '../../../src/llm/quant.ts';

// [m, n, k]: decode rows, prefill rows, non-multiples of the 4-column tile, stories260K's FFN.
const SHAPES: [number, number, number][] = [
  [1, 1, 32],
  [1, 172, 64],
  [3, 33, 64],
  [7, 10, 96],
  [130, 41, 32],
];

describe.skipIf(noGpu)(`gated linear (gate/up + SwiGLU in one kernel) on WebGPU (${adapterName})`, () => {
  it('f32: matches the reference on seeded shapes', async () => {
    const random = seededRandom(41);
    for (const [m, n, k] of SHAPES) {
      const x = randomArray(random, m * k, 2); // [m, k]
      const weights = { gate: randomArray(random, n * k), up: randomArray(random, n * k) }; // [n, k] each
      const want = gatedLinearReference((w) => linearReference(x, weights[w], m, k, n)); // [m, n]
      const [xt, gt, ut] = [x, weights.gate, weights.up].map((a, i) => gpuOps.upload(a, i ? [n, k] : [m, k]));
      const out = gpuOps.gatedLinear(xt, gt, ut); // [m, n]
      expectClose(`f32 [${m}, ${n}, ${k}]`, await gpuOps.read(out), want, 1e-5, 1e-5);
      for (const t of [xt, gt, ut, out]) gpuOps.release(t);
    }
  });

  for (const type of ['Q8_0', 'Q4_0'] as QuantType[]) {
    it(`${type}: matches the reference, also with the weights split across bindings`, async () => {
      const random = seededRandom(type === 'Q8_0' ? 42 : 43);
      const split = new GpuOps(gpuOps.context, { maxWeightBindingBytes: 408 }); // 4 rows of 96 Q8_0 columns
      for (const [m, n, k] of SHAPES) {
        const x = randomArray(random, m * k, 2); // [m, k]
        const q = {
          gate: quantizeMatrix(type, randomArray(random, n * k), n, k), // [n, k]
          up: quantizeMatrix(type, randomArray(random, n * k), n, k), // [n, k]
        };
        const want = gatedLinearReference((w) => matvecQuantReference(x, q[w], m)); // [m, n]
        for (const ops of [gpuOps, split]) {
          const [xt, gt, ut] = [
            ops.upload(x, [m, k]),
            ops.uploadQuantized(q.gate),
            ops.uploadQuantized(q.up),
          ];
          const out = ops.gatedLinear(xt, gt, ut); // [m, n]
          const what = `${type} [${m}, ${n}, ${k}] in ${gt.quant!.chunks.length} chunk(s)`;
          expectClose(what, await ops.read(out), want, 1e-5, 1e-5);
          for (const t of [xt, gt, ut, out]) ops.release(t);
        }
      }
      split.pool.trim();
    });
  }

  it('refuses gate and up of different kinds by name', () => {
    const gate = gpuOps.upload(new Float32Array(64), [2, 32]);
    const up = gpuOps.uploadQuantized(quantizeMatrix('Q8_0', new Float32Array(64), 2, 32));
    const x = gpuOps.upload(new Float32Array(32), [1, 32]);
    expect(() => gpuOps.gatedLinear(x, gate, up)).toThrow(QuantizedTensorUseError);
    for (const t of [gate, up, x]) gpuOps.release(t);
  });
});
