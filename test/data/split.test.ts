import { describe, expect, it } from 'vitest';
import { leaveOneOut } from '../../src/data/split.ts';

describe('leaveOneOut', () => {
  const split = leaveOneOut({
    sequences: [Int32Array.of(1, 2, 3, 4), Int32Array.of(5, 6), Int32Array.of(7, 8, 9)],
  });

  it('holds out the last item for test and the second-to-last for validation', () => {
    expect(split.train.map((s) => [...s])).toEqual([[1, 2], [5, 6], [7]]);
    expect(split.valid.map((c) => [c.user, [...c.history], c.target])).toEqual([
      [0, [1, 2], 3],
      [2, [7], 8],
    ]);
    expect(split.test.map((c) => [c.user, [...c.history], c.target])).toEqual([
      [0, [1, 2, 3], 4],
      [2, [7, 8], 9],
    ]);
  });

  it('keeps users with fewer than 3 items in train only', () => {
    expect(split.shortUsers).toBe(1);
    expect(split.test.some((c) => c.user === 1)).toBe(false);
  });

  it('gives every case the whole user sequence for negative sampling', () => {
    expect([...split.valid[0].interacted]).toEqual([1, 2, 3, 4]);
  });
});
