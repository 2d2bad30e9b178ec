/**
 * FastCpuOps as a TensorOps backend: storage recycling, the shared shape errors, use after
 * release, copies on upload/read, and a random SASRec (ML-1M shape, d = 50) agreeing with CpuOps.
 */
import { describe, expect, it } from 'vitest';
import { FastCpuOps } from '../../src/gpu/cpu-fast/fast-cpu-ops.ts';
import { CpuOps } from '../../src/gpu/cpu-ops.ts';
import { ReleasedTensorError, ShapeError } from '../../src/gpu/shapes.ts';
import { SasrecSession } from '../../src/sasrec/session.ts';
import { randomSasrecWeights, seededRandom, tinyConfig } from '../sasrec/random-model.ts';
import { expectClose } from '../sasrec/expect-close.ts';
import { linearReference } from '../../src/gpu/reference/linear.ts';

const f32 = (values: number[]) => Float32Array.from(values);

describe('FastCpuOps', () => {
  it('runs a tiny chain by hand: embed → linear(relu, residual) → layerNorm', async () => {
    const ops = new FastCpuOps();
    const table = ops.upload(f32([0, 0, 1, -1, 2, 2]), [3, 2]); // [3, 2]
    const x = ops.embed(table, Int32Array.from([1, 2]), 1, null, 0); // [2, 2]
    const w = ops.upload(f32([1, 0, 0, 1]), [2, 2]); // identity
    const y = ops.linear(x, w, null, { relu: true, residual: x }); // relu(x) + x
    expect(Array.from(await ops.read(y))).toEqual([2, -1, 4, 4]);
    const n = ops.layerNorm(y, ops.upload(f32([1, 1]), [2]), ops.upload(f32([0, 0]), [2]), 1e-8);
    expect(Array.from(await ops.read(n)).map((v) => +v.toFixed(5))).toEqual([1, -1, 0, 0]);
  });

  it('reuses released storage, and a reused array is fully overwritten', async () => {
    const ops = new FastCpuOps();
    const a = ops.upload(f32([9, 9, 9, 9]), [2, 2]);
    const storage = a.data;
    ops.release(a);
    ops.release(a); // twice: must not pool the same array twice
    expect(ops.pool.size).toBe(1);
    const z = ops.zeros([4]);
    expect(z.data).toBe(storage);
    expect(Array.from(await ops.read(z))).toEqual([0, 0, 0, 0]);
    const other = ops.zeros([2, 2]);
    expect(other.data).not.toBe(storage);
  });

  it('copies on upload and on read; writes rows in place; slices rows', async () => {
    const ops = new FastCpuOps();
    const data = f32([1, 2]);
    const t = ops.upload(data, [1, 2]);
    data[0] = 9;
    (await ops.read(t))[1] = 9;
    expect(Array.from(await ops.read(t))).toEqual([1, 2]);
    const cache = ops.zeros([3, 2]);
    ops.writeRows(cache, 2, ops.upload(f32([5, 6]), [1, 2]));
    expect(Array.from(await ops.read(ops.sliceRows(cache, 1, 2)))).toEqual([0, 0, 5, 6]);
  });

  it('rejects bad shapes with the shared ShapeError messages', () => {
    const ops = new FastCpuOps();
    const x = ops.zeros([2, 3]);
    expect(() => ops.upload(f32([1]), [2])).toThrow(ShapeError);
    expect(() => ops.linear(x, ops.zeros([4, 2]), null)).toThrow(/w must be \[out, 3\]/);
    expect(() => ops.add(x, ops.zeros([3, 2]))).toThrow(ShapeError);
    expect(() => ops.embed(x, Int32Array.from([2]), 1, null, 0)).toThrow(/outside the table/);
    expect(() => ops.sliceRows(x, 1, 2)).toThrow(ShapeError);
    const p = { queries: 2, keys: 2, heads: 3, kvHeads: 2, headDim: 1, queryStart: 0, scale: 1 };
    expect(() => ops.attention(x, ops.zeros([2, 2]), ops.zeros([2, 2]), p)).toThrow(/multiple of kvHeads/);
    return expect(ops.topK(ops.zeros([1, 3]), 0, new Int32Array(0))).rejects.toThrow(ShapeError);
  });

  it('scores against a large weight kept in SIMD memory, and sees in-place writes and reused storage', async () => {
    const ops = new FastCpuOps();
    const random = seededRandom(31);
    const [n, k] = [700, 50]; // 35000 values: kept resident
    const table = Float32Array.from({ length: n * k }, () => random() - 0.5); // [n, k]
    const h = Float32Array.from({ length: k }, () => random() - 0.5); // [1, k]
    const w = ops.upload(table, [n, k]);
    const x = ops.upload(h, [1, k]);
    const check = async (wantTable: Float32Array, tensor: typeof w, what: string) =>
      expectClose(
        await ops.read(ops.linear(x, tensor, null)),
        linearReference(h, wantTable, 1, k, n),
        1e-5,
        what,
      );
    await check(table, w, 'first use');
    const row = Float32Array.from({ length: k }, (_, c) => c / k); // [1, k]
    ops.writeRows(w, 3, ops.upload(row, [1, k]));
    table.set(row, 3 * k);
    await check(table, w, 'after writeRows into the weight');
    ops.release(w);
    const other = Float32Array.from({ length: n * k }, () => random()); // [n, k]
    const w2 = ops.upload(other, [n, k]); // reuses w's array from the pool
    expect(w2.data).toBe(w.data);
    await check(other, w2, 'new tensor on recycled storage');
  });

  it('rejects a tensor used after release, even when its storage was reused', () => {
    const ops = new FastCpuOps();
    const x = ops.zeros([1, 1]);
    ops.release(x);
    ops.zeros([1, 1]); // takes x's storage
    expect(() => ops.add(x, x)).toThrow(ReleasedTensorError);
    expect(() => ops.rmsNorm(x, x, 0)).toThrow(ReleasedTensorError);
  });
});

describe.each([true, false])(
  'SASRec on FastCpuOps (simd %s) vs CpuOps (random weights, ML-1M shape d=50)',
  (simd) => {
    const config = tinyConfig({ itemCount: 3416, hiddenUnits: 50, maxLen: 200 });
    const weights = randomSasrecWeights(config, 2024);
    const random = seededRandom(99);
    const history = Int32Array.from({ length: 199 }, () => 1 + Math.floor(random() * config.itemCount)); // [199]

    it('full recompute, then one appended item incrementally, match CpuOps', async () => {
      const fast = new SasrecSession(new FastCpuOps({ simd }), weights);
      const plain = new SasrecSession(new CpuOps(), weights);
      for (const h of [history.subarray(0, 1), history.subarray(0, 37), history.subarray(0, 198), history]) {
        const got = await fast.rank(h, 50);
        const want = await plain.rank(h, 50);
        expect(got.incremental).toBe(want.incremental);
        expect(Array.from(got.ids), `history length ${h.length}`).toEqual(Array.from(want.ids));
        expectClose(got.scores, want.scores, 1e-4, `scores, history length ${h.length}`);
      }
    });
  },
);
