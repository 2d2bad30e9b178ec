import { describe, expect, it } from 'vitest';
import { CpuOps } from '../../src/gpu/cpu-ops.ts';
import { ReleasedTensorError, ShapeError } from '../../src/gpu/shapes.ts';

const f32 = (values: number[]) => Float32Array.from(values);

describe('CpuOps', () => {
  const ops = new CpuOps();

  it('runs a tiny chain: embed → linear(relu, residual) → layerNorm → read', async () => {
    const table = ops.upload(f32([0, 0, 1, -1, 2, 2]), [3, 2]); // [3, 2]
    const x = ops.embed(table, Int32Array.from([1, 2]), 1, null, 0); // [2, 2]
    const w = ops.upload(f32([1, 0, 0, 1]), [2, 2]); // identity
    const y = ops.linear(x, w, null, { relu: true, residual: x }); // relu(x) + x
    expect(Array.from(await ops.read(y))).toEqual([2, -1, 4, 4]);
    const g = ops.upload(f32([1, 1]), [2]);
    const b = ops.upload(f32([0, 0]), [2]);
    const n = ops.layerNorm(y, g, b, 1e-8); // row [4, 4] has variance 0 → beta
    expect(Array.from(await ops.read(n)).map((v) => +v.toFixed(5))).toEqual([1, -1, 0, 0]);
  });

  it('applies RMSNorm row-wise: [3, 4] → / √12.5', async () => {
    const out = await ops.read(ops.rmsNorm(ops.upload(f32([3, 4]), [1, 2]), ops.upload(f32([1, 1]), [2]), 0));
    expect(out[0]).toBeCloseTo(3 / Math.sqrt(12.5), 6);
    expect(out[1]).toBeCloseTo(4 / Math.sqrt(12.5), 6);
  });

  it('copies on upload and on read', async () => {
    const data = f32([1, 2]);
    const t = ops.upload(data, [1, 2]);
    data[0] = 9;
    const back = await ops.read(t);
    back[1] = 9;
    expect(Array.from(await ops.read(t))).toEqual([1, 2]);
  });

  it('writes into a cache in place and slices rows', async () => {
    const cache = ops.zeros([3, 2]);
    ops.writeRows(cache, 2, ops.upload(f32([5, 6]), [1, 2]));
    expect(Array.from(await ops.read(ops.sliceRows(cache, 1, 2)))).toEqual([0, 0, 5, 6]);
  });

  it('selects top-k from a [1, n] score row', async () => {
    const scores = ops.upload(f32([3, 1, 2]), [1, 3]);
    const top = await ops.topK(scores, 2, Int32Array.from([0]));
    expect(Array.from(top.ids)).toEqual([2, 1]);
  });

  it('rejects bad shapes with ShapeError', () => {
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

  it('rejects a tensor used after release', () => {
    const x = ops.zeros([1, 1]);
    ops.release(x);
    expect(() => ops.add(x, x)).toThrow(ReleasedTensorError);
  });
});
