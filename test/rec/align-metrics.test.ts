/** models/tools/eval-align-metrics.ts: ranks, H@k / N@k (hand-computed), random expectation, permutation. */
import { describe, expect, it } from 'vitest';
import {
  hitNdcgAt,
  pessimisticRank,
  randomHitNdcgAt,
  seededPermutation,
} from '../../models/tools/eval-align-metrics.ts';

describe('alignment metrics', () => {
  it('ranks the label pessimistically', () => {
    expect(pessimisticRank([0.1, 0.9, 0.5], 2)).toBe(1);
    expect(pessimisticRank([0.5, 0.5, 0.1], 0)).toBe(1); // the tie counts against it
    expect(pessimisticRank([3, 1, 2], 0)).toBe(0);
  });

  it('H@5 and N@5 of hand-picked ranks', () => {
    // ranks 0, 2, 7: hits 2 of 3; ndcg (1 + 1/log2(4)) / 3 = 1.5 / 3
    const m = hitNdcgAt([0, 2, 7], 5);
    expect(m.hr).toBeCloseTo(2 / 3, 12);
    expect(m.ndcg).toBeCloseTo(0.5, 12);
  });

  it('random order of 50: H@5 = 0.1, N@5 = Σ_{r<5} 1/log2(r+2) / 50', () => {
    const m = randomHitNdcgAt(50, 5);
    expect(m.hr).toBeCloseTo(0.1, 12);
    const sum = 1 + 1 / Math.log2(3) + 0.5 + 1 / Math.log2(5) + 1 / Math.log2(6);
    expect(m.ndcg).toBeCloseTo(sum / 50, 12);
  });

  it('a seeded permutation is a permutation and repeats with its seed', () => {
    const p = seededPermutation(50, 7);
    expect([...p].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(seededPermutation(50, 7)).toEqual(p);
    expect(seededPermutation(50, 8)).not.toEqual(p);
  });
});
