import { describe, expect, it } from 'vitest';
import { adapterName, expectClose, gpuOps, noGpu, randomArray, seededRandom } from '../support.ts';
import { GpuOps } from '../../../src/gpu/gpu-ops.ts';
import { linearReference } from '../../../src/gpu/reference/linear.ts';
import { matvecQuantReference, type QuantType } from '../../../src/gpu/reference/matvec_q.ts';
import { attentionInputReference } from '../../../src/gpu/reference/attention-input.ts';
import { ShapeError } from '../../../src/gpu/shapes.ts';
import { quantizeMatrix } from '../../../src/llm/quant.ts';

type Kind = 'f32' | QuantType;

// [kind, rows, k, heads, kvHeads, headDim, cacheRow, bias, neox, scaled]
const CASES: [Kind, number, number, number, number, number, number, boolean, boolean, boolean][] = [
  ['f32', 1, 64, 8, 4, 8, 5, false, false, false], // stories260K decode
  ['f32', 7, 64, 8, 4, 8, 0, false, false, false], // stories260K prefill
  ['f32', 130, 32, 4, 2, 16, 2, true, false, true], // long prefill, biases, scaled rope
  ['f32', 3, 96, 3, 3, 32, 9, true, true, false], // NEOX, no GQA (qwen2-like)
  ['Q8_0', 1, 64, 8, 4, 8, 5, false, false, false],
  ['Q8_0', 5, 96, 4, 1, 24, 1, true, true, true],
  ['Q4_0', 1, 128, 4, 2, 32, 11, false, false, false],
  ['Q4_0', 6, 64, 2, 2, 32, 0, true, true, false],
];

describe.skipIf(noGpu)(
  `attention input (norm + q/k/v + rope + cache writes) on WebGPU (${adapterName})`,
  () => {
    it.each(CASES)(
      '%s rows=%i k=%i heads=%i/%i headDim=%i cacheRow=%i bias=%s neox=%s scaled=%s matches the reference',
      async (kind, n, k, heads, kvHeads, headDim, cacheRow, withBias, neox, scaled) => {
        const random = seededRandom(n * 131 + k + heads * 7 + cacheRow);
        const [qWidth, kvWidth] = [heads * headDim, kvHeads * headDim];
        const rows = qWidth + 2 * kvWidth;
        const capacity = cacheRow + n + 2;
        const h = randomArray(random, n * k, 2); // [n, k] (normed x)
        const values = randomArray(random, rows * k); // [rows, k] Wq, Wk, Wv stacked
        const bias = withBias ? randomArray(random, rows) : null; // [rows]
        const caches = [randomArray(random, capacity * kvWidth), randomArray(random, capacity * kvWidth)]; // [capacity, kvWidth]: rows outside stay
        const rope = {
          headDim,
          positionStart: cacheRow + 3,
          theta: 10000,
          neox,
          ...(scaled ? { freqFactors: Float32Array.from({ length: headDim / 2 }, (_, j) => 1 + j / 3) } : {}),
        };
        const q = kind === 'f32' ? null : quantizeMatrix(kind, values, rows, k);
        const projected = q ? matvecQuantReference(h, q, n) : linearReference(h, values, n, k, rows); // [n, rows]
        const want = attentionInputReference(projected, n, bias, { q: qWidth, kv: kvWidth }, rope);
        const [wantKeys, wantValues] = caches.map((c) => Float32Array.from(c));
        wantKeys.set(want.k, cacheRow * kvWidth);
        wantValues.set(want.v, cacheRow * kvWidth);
        // quantized: also split into bindings of one head of rows each (the smallest whole-head chunk)
        const rowBytes = (k / 32) * (kind === 'Q8_0' ? 34 : 18);
        const split = new GpuOps(gpuOps.context, { maxWeightBindingBytes: rowBytes * headDim + 2 });
        for (const ops of q ? [gpuOps, split] : [gpuOps]) {
          const w = q ? ops.uploadQuantized(q, 'wqkv', headDim) : ops.upload(values, [rows, k]);
          const ht = ops.upload(h, [n, k]);
          const bt = bias ? ops.upload(bias, [rows]) : null;
          const [kc, vc] = caches.map((c) => ops.upload(c, [capacity, kvWidth]));
          const p = { rope, keyCache: kc, valueCache: vc, cacheRow };
          const out = ops.attentionInput(ht, w, bt, p); // [n, qWidth]
          const what = `${kind} in ${w.quant?.chunks.length ?? 1} chunk(s)`;
          const tolerance = 2e-6 * (rope.positionStart + n + 1) + 1e-5;
          expectClose(`${what}: q`, await ops.read(out), want.q, tolerance, 1e-5);
          expectClose(`${what}: key cache`, await ops.read(kc), wantKeys, tolerance, 1e-5);
          expectClose(`${what}: value cache`, await ops.read(vc), wantValues, 1e-5, 1e-5);
          if (q && ops === split) expect(w.quant!.chunks.length).toBe(rows / headDim);
          for (const t of [w, ht, bt, kc, vc, out]) if (t) ops.release(t);
        }
        split.pool.trim();
      },
    );

    it('refuses shapes that are not whole heads or do not fit the cache, by name', () => {
      const [x, norm] = [gpuOps.zeros([2, 32]), gpuOps.zeros([32])];
      const cache = gpuOps.zeros([3, 8]);
      const rope = { headDim: 8, positionStart: 0, theta: 10000 };
      const p = { norm: { weight: norm, eps: 1e-5 }, rope, keyCache: cache, valueCache: cache, cacheRow: 0 };
      const odd = gpuOps.zeros([28, 32]); // q 12 + 2 × 8: q is not whole heads
      expect(() => gpuOps.attentionInput(x, odd, null, p)).toThrow(ShapeError);
      const w = gpuOps.zeros([32, 32]); // q 16 + 2 × 8
      expect(() => gpuOps.attentionInput(x, w, null, { ...p, cacheRow: 2 })).toThrow(/do not fit 3/);
      for (const t of [x, cache, odd, w]) gpuOps.release(t);
    });
  },
);
