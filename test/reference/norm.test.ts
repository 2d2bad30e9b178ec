import { describe, expect, it } from 'vitest';
import { layerNormReference, rmsNormReference } from '../../src/gpu/reference/norm.ts';

const f32 = (values: number[]) => Float32Array.from(values);

describe('layerNormReference', () => {
  it('normalises a row by hand: [1,2,3,4] has mean 2.5 and variance 1.25', () => {
    const s = Math.sqrt(1.25);
    const out = layerNormReference(f32([1, 2, 3, 4]), f32([1, 2, 1, 1]), f32([0, 0, 1, 0]), 1, 4, 0);
    const want = [-1.5 / s, (-0.5 / s) * 2, 0.5 / s + 1, 1.5 / s];
    out.forEach((got, i) => expect(got).toBeCloseTo(want[i], 6));
  });

  it('normalises rows independently and uses eps', () => {
    // Row [2, 2] has variance 0: output = beta exactly; row [0, 2]: variance 1, eps 3 → /2.
    const out = layerNormReference(f32([2, 2, 0, 2]), f32([1, 1]), f32([7, 8]), 2, 2, 3);
    expect(Array.from(out)).toEqual([7, 8, 7 - 0.5, 8 + 0.5]);
  });
});

describe('rmsNormReference', () => {
  it('divides by the root mean square: [3, 4] → rms √12.5', () => {
    const out = rmsNormReference(f32([3, 4]), f32([1, 2]), 1, 2, 0);
    expect(out[0]).toBeCloseTo(3 / Math.sqrt(12.5), 6);
    expect(out[1]).toBeCloseTo((4 / Math.sqrt(12.5)) * 2, 6);
  });
});
