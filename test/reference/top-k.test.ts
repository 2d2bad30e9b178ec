import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { topKReference } from '../../src/gpu/reference/top-k.ts';

const f32 = (values: number[]) => Float32Array.from(values);
const none = new Int32Array(0);

describe('topKReference', () => {
  it('returns the best k, best first, ties to the lower index, skipping excluded ids', () => {
    const result = topKReference(f32([0.5, 0.9, 0.9, -1, 0.7]), 3, Int32Array.from([4]));
    expect(Array.from(result.ids)).toEqual([1, 2, 0]);
    expect(Array.from(result.scores)).toEqual([f32([0.9])[0], f32([0.9])[0], 0.5]);
  });
  it('returns fewer than k when fewer ids are eligible', () => {
    const result = topKReference(f32([1, 2]), 5, Int32Array.from([0]));
    expect(Array.from(result.ids)).toEqual([1]);
  });
  it('ranks NaN below -Infinity', () => {
    const result = topKReference(f32([NaN, -Infinity, 3]), 3, none);
    expect(Array.from(result.ids)).toEqual([2, 1, 0]);
  });
  it('agrees with a full stable sort (property, seeded)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -5, max: 5 }), { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 1, max: 70 }),
        (values, k) => {
          const scores = f32(values);
          const want = [...scores.keys()].sort((a, b) => scores[b] - scores[a] || a - b).slice(0, k);
          expect(Array.from(topKReference(scores, k, none).ids)).toEqual(want);
        },
      ),
      { seed: 7, numRuns: 200 },
    );
  });
});
