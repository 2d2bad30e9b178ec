import { describe, expect, it } from 'vitest';
import { adapterName, expectClose, gpuOps, noGpu, randomArray, seededRandom } from '../support.ts';
import { GpuOps, type GpuTensor } from '../../../src/gpu/gpu-ops.ts';
import { linearReference } from '../../../src/gpu/reference/linear.ts';
import { matvecQuantReference, type QuantType } from '../../../src/gpu/reference/matvec_q.ts';
import { gatedLinearReference } from '../../../src/gpu/reference/swiglu.ts';
import { normThenReference } from '../../../src/gpu/reference/attention-input.ts';
import { quantizeMatrix } from '../../../src/llm/quant.ts';

type Kind = 'f32' | QuantType;
const KINDS: Kind[] = ['f32', 'Q8_0', 'Q4_0'];

// [m, n, k]: decode rows, prefill rows (TM tiles and a remainder), n not a multiple of 4, stories260K's FFN.
const SHAPES: [number, number, number][] = [
  [1, 1, 32],
  [1, 172, 64],
  [3, 33, 64],
  [7, 10, 96],
  [130, 41, 32],
];

/** A random weight [n, k] of `kind`: its GPU tensor (uploaded to `ops`) and its reference product. */
function weight(ops: GpuOps, kind: Kind, random: () => number, n: number, k: number) {
  const values = randomArray(random, n * k); // [n, k]
  if (kind === 'f32') {
    return {
      tensor: ops.upload(values, [n, k]),
      project: (h: Float32Array, m: number) => linearReference(h, values, m, k, n), // [m, n]
    };
  }
  const q = quantizeMatrix(kind, values, n, k); // [n, k]
  return {
    tensor: ops.uploadQuantized(q),
    project: (h: Float32Array, m: number) => matvecQuantReference(h, q, m),
  };
}

describe.skipIf(noGpu)(`RMSNorm folded into linear / gated linear on WebGPU (${adapterName})`, () => {
  for (const kind of KINDS) {
    it(`${kind}: normLinear and gatedLinear with norm match rmsNorm then the product (also split weights)`, async () => {
      const random = seededRandom(kind.length * 101 + kind.charCodeAt(1));
      // quantized weights also split into bindings of 4 rows of 96 Q8_0 columns (more rows for fewer columns / Q4_0)
      const split = new GpuOps(gpuOps.context, { maxWeightBindingBytes: 408 });
      for (const [m, n, k] of SHAPES) {
        const x = randomArray(random, m * k, 2); // [m, k]
        const norm = { weight: randomArray(random, k, 1.5), eps: 1e-5 }; // weight [k]
        for (const ops of kind === 'f32' ? [gpuOps] : [gpuOps, split]) {
          const [gate, up] = [weight(ops, kind, random, n, k), weight(ops, kind, random, n, k)];
          const [xt, nt] = [ops.upload(x, [m, k]), ops.upload(norm.weight, [k])];
          const fold = { weight: nt, eps: norm.eps };
          const chunks = gate.tensor.quant?.chunks.length ?? 1;
          const what = `${kind} [${m}, ${n}, ${k}] in ${chunks} chunk(s)`;
          const linear = ops.normLinear(xt, fold, gate.tensor); // [m, n]
          const wantLinear = normThenReference(x, m, k, norm, (h) => gate.project(h, m));
          expectClose(`normLinear ${what}`, await ops.read(linear), wantLinear, 1e-5, 1e-5);
          const gated = ops.gatedLinear(xt, gate.tensor, up.tensor, fold); // [m, n]
          const wantGated = normThenReference(x, m, k, norm, (h) =>
            gatedLinearReference((which) => (which === 'gate' ? gate : up).project(h, m)),
          );
          expectClose(`gatedLinear+norm ${what}`, await ops.read(gated), wantGated, 1e-5, 1e-5);
          for (const t of [xt, nt, gate.tensor, up.tensor, linear, gated] as GpuTensor[]) ops.release(t);
        }
      }
      split.pool.trim();
    });
  }

  it('refuses a norm weight that does not match x by name', () => {
    const [x, w, norm] = [gpuOps.zeros([2, 32]), gpuOps.zeros([3, 32]), gpuOps.zeros([31])];
    expect(() => gpuOps.normLinear(x, { weight: norm, eps: 1e-5 }, w)).toThrow(
      /norm weight must have shape \[32\]/,
    );
    for (const t of [x, w, norm]) gpuOps.release(t);
  });
});
