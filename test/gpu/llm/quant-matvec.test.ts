import { describe, expect, it } from 'vitest';
import { adapterName, expectClose, gpuOps, noGpu, randomArray, seededRandom } from '../support.ts';
import { GpuOps, QuantizedTensorUseError } from '../../../src/gpu/gpu-ops.ts';
import { MATVEC_Q_PARAMS, planRowChunks } from '../../../src/gpu/kernels/matvec_q.ts';
import { MATVEC_Q8_0_KERNEL } from '../../../src/gpu/kernels/matvec_q8_0.ts';
import { MATVEC_Q4_0_KERNEL } from '../../../src/gpu/kernels/matvec_q4_0.ts';
import { matvecQuantReference, type QuantType } from '../../../src/gpu/reference/matvec_q.ts';
import { quantizeMatrix } from '../../../src/llm/quant.ts';

const TYPES: QuantType[] = ['Q8_0', 'Q4_0'];

describe('matvec_q kernel specs', () => {
  it('struct Params in WGSL matches MATVEC_Q_PARAMS field for field', () => {
    for (const spec of [MATVEC_Q8_0_KERNEL, MATVEC_Q4_0_KERNEL]) {
      const body = /struct Params\s*\{([^}]*)\}/.exec(spec.code)?.[1] ?? '';
      const fields = [...body.matchAll(/(\w+)\s*:\s*(\w+)\s*,/g)].map((m) => [m[1], m[2]]);
      expect(fields).toEqual(MATVEC_Q_PARAMS.map(([name, type]) => [name, type]));
    }
  });

  it('plans row chunks that fit the binding limit (rows of 2·18 bytes, limit 100 → 2 rows each)', () => {
    expect(planRowChunks('Q4_0', 5, 64, 100)).toEqual([
      { rowStart: 0, rows: 2, bytes: 72 },
      { rowStart: 2, rows: 2, bytes: 72 },
      { rowStart: 4, rows: 1, bytes: 36 },
    ]);
    expect(planRowChunks('Q8_0', 3, 32, 1 << 20)).toEqual([{ rowStart: 0, rows: 3, bytes: 104 }]); // 102 → padded
    expect(() => planRowChunks('Q8_0', 1, 64, 67)).toThrow(/binding allows 67/);
    // whole groups of rowAlign rows (the fused q/k/v weight: whole heads): 5 rows fit, 4 are taken
    expect(planRowChunks('Q4_0', 8, 64, 36 * 5, 2).map((c) => [c.rowStart, c.rows])).toEqual([
      [0, 4],
      [4, 4],
    ]);
    expect(() => planRowChunks('Q4_0', 8, 64, 36 * 5, 8)).toThrow(
      /8 Q4_0 row\(s\) of 64 columns need 288 bytes/,
    );
  });
});

describe.skipIf(noGpu)(`quantized matvec on WebGPU (${adapterName})`, () => {
  const shapes: [number, number, number][] = [
    [1, 1, 32], // m, n, k
    [1, 7, 96],
    [3, 33, 64],
    [5, 10, 32],
    [2, 130, 160],
  ];

  for (const type of TYPES) {
    it(`${type}: matches the CPU reference on seeded shapes (rows 1 and non-multiples)`, async () => {
      const random = seededRandom(type === 'Q8_0' ? 11 : 12);
      for (const [m, n, k] of shapes) {
        const q = quantizeMatrix(type, randomArray(random, n * k), n, k); // [n, k]
        const x = randomArray(random, m * k); // [m, k]
        const bias = randomArray(random, n); // [n]
        const residual = randomArray(random, m * n); // [m, n]
        const want = matvecQuantReference(x, q, m, { bias, residual });
        const [xt, wt, bt, rt] = [
          gpuOps.upload(x, [m, k]),
          gpuOps.uploadQuantized(q),
          gpuOps.upload(bias, [n]),
          gpuOps.upload(residual, [m, n]),
        ];
        const out = gpuOps.linear(xt, wt, bt, { residual: rt });
        expectClose(`${type} [${m}, ${n}, ${k}]`, await gpuOps.read(out), want, 1e-5, 1e-5);
        const plain = gpuOps.linear(xt, wt, null, { relu: true });
        const wantRelu = matvecQuantReference(x, q, m, { relu: true });
        expectClose(`${type} relu [${m}, ${n}, ${k}]`, await gpuOps.read(plain), wantRelu, 1e-5, 1e-5);
        for (const t of [xt, wt, bt, rt, out, plain]) gpuOps.release(t);
      }
    });

    it(`${type}: a weight split across bindings by rows gives the same result`, async () => {
      const random = seededRandom(type === 'Q8_0' ? 21 : 22);
      const [m, n, k] = [3, 41, 128];
      const q = quantizeMatrix(type, randomArray(random, n * k), n, k);
      const x = randomArray(random, m * k);
      const rowBytes = (k / 32) * (type === 'Q8_0' ? 34 : 18);
      const split = new GpuOps(gpuOps.context, { maxWeightBindingBytes: rowBytes * 5 + 3 });
      const w = split.uploadQuantized(q);
      expect(w.quant!.chunks.length).toBe(Math.ceil(n / 5));
      const xt = split.upload(x, [m, k]);
      const got = await split.read(split.linear(xt, w, null));
      expectClose(`${type} split`, got, matvecQuantReference(x, q, m), 1e-5, 1e-5);
      split.release(w);
      split.pool.trim();
    });
  }

  it('refuses a quantized tensor in any op other than linear', () => {
    const q = quantizeMatrix('Q8_0', new Float32Array(64), 2, 32);
    const w = gpuOps.uploadQuantized(q);
    expect(() => gpuOps.add(w, w)).toThrow(QuantizedTensorUseError);
    gpuOps.release(w);
  });
});
