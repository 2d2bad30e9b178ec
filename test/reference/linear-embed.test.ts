import { describe, expect, it } from 'vitest';
import { linearReference } from '../../src/gpu/reference/linear.ts';
import { embedReference } from '../../src/gpu/reference/embed.ts';
import { addReference } from '../../src/gpu/reference/elementwise.ts';
import { sliceRowsReference, writeRowsReference } from '../../src/gpu/reference/rows.ts';

const f32 = (values: number[]) => Float32Array.from(values);
const x = f32([1, 2]); // [1, 2]
const w = f32([1, 0, 0, 1, 1, 1]); // [3, 2]: rows are outputs
const bias = f32([0, -5, 1]); // [3]

describe('linearReference', () => {
  it('computes x·wᵀ + bias', () => {
    expect(Array.from(linearReference(x, w, 1, 2, 3, { bias }))).toEqual([1, -3, 4]);
  });
  it('applies relu after the bias and adds the residual last', () => {
    expect(Array.from(linearReference(x, w, 1, 2, 3, { bias, relu: true }))).toEqual([1, 0, 4]);
    const residual = f32([10, -10, 10]);
    expect(Array.from(linearReference(x, w, 1, 2, 3, { bias, relu: true, residual }))).toEqual([11, -10, 14]);
  });
  it('handles several rows and no bias', () => {
    // x [2, 2] = [[1, 2], [3, 4]], w = identity-ish [2, 2] = [[0, 1], [1, 0]] → swaps columns.
    expect(Array.from(linearReference(f32([1, 2, 3, 4]), f32([0, 1, 1, 0]), 2, 2, 2))).toEqual([2, 1, 4, 3]);
  });
});

describe('embedReference', () => {
  const table = f32([0, 0, 1, 2, 3, 4]); // [3, 2]
  const pos = f32([100, 200, 10, 20, 30, 40]); // [3, 2]
  it('gathers, scales and adds positions counted from posStart', () => {
    const out = embedReference(table, 2, Int32Array.from([2, 0]), 2, pos, 1);
    expect(Array.from(out)).toEqual([3 * 2 + 10, 4 * 2 + 20, 0 + 30, 0 + 40]);
  });
  it('works without positions', () => {
    expect(Array.from(embedReference(table, 2, Int32Array.from([1]), 0.5, null, 0))).toEqual([0.5, 1]);
  });
});

describe('add and row copies', () => {
  it('adds element-wise', () => {
    expect(Array.from(addReference(f32([1, 2]), f32([3, -4])))).toEqual([4, -2]);
  });
  it('writes rows in place and slices them back', () => {
    const cache = new Float32Array(8); // [4, 2]
    writeRowsReference(cache, 2, 1, f32([1, 2, 3, 4]));
    expect(Array.from(cache)).toEqual([0, 0, 1, 2, 3, 4, 0, 0]);
    expect(Array.from(sliceRowsReference(cache, 2, 2, 2))).toEqual([3, 4, 0, 0]);
  });
});
