import { describe, expect, it } from 'vitest';
import { EvalInputError } from '../../src/eval/errors.ts';
import {
  auc,
  distinctN,
  hitAt,
  meanMetric,
  ndcgAt,
  perUser,
  reciprocalRank,
  summarizeRanks,
} from '../../src/eval/metrics.ts';

describe('per-user ranking metrics', () => {
  it('HR@K counts ranks strictly below K', () => {
    expect([hitAt(0, 1), hitAt(1, 1), hitAt(9, 10), hitAt(10, 10)]).toEqual([1, 0, 1, 0]);
  });
  it('NDCG@K is 1/log2(rank+2) inside the cutoff', () => {
    expect(ndcgAt(0, 10)).toBe(1);
    expect(ndcgAt(1, 10)).toBeCloseTo(1 / Math.log2(3), 12); // 0.6309297535714575
    expect(ndcgAt(2, 10)).toBe(0.5); // 1/log2(4)
    expect(ndcgAt(6, 10)).toBeCloseTo(1 / 3, 12); // 1/log2(8)
    expect(ndcgAt(10, 10)).toBe(0);
  });
  it('MRR is 1/(rank+1)', () => {
    expect([reciprocalRank(0), reciprocalRank(3)]).toEqual([1, 0.25]);
  });
});

describe('summarizeRanks', () => {
  it('averages hand-computed values over users', () => {
    // ranks 0, 2, 6, 30:
    //   HR@1 = 1/4; HR@5 = 2/4; HR@10 = 3/4; HR@20 = 3/4
    //   NDCG@5 = (1 + 0.5)/4; NDCG@10 = (1 + 0.5 + 1/3)/4; MRR = (1 + 1/3 + 1/7 + 1/31)/4
    const m = summarizeRanks(Int32Array.of(0, 2, 6, 30));
    expect(m.users).toBe(4);
    expect(m.hr).toEqual({ 1: 0.25, 5: 0.5, 10: 0.75, 20: 0.75 });
    expect(m.ndcg[5]).toBeCloseTo(0.375, 12);
    expect(m.ndcg[10]).toBeCloseTo((1 + 0.5 + 1 / 3) / 4, 12);
    expect(m.ndcg[20]).toBeCloseTo((1 + 0.5 + 1 / 3) / 4, 12);
    expect(m.mrr).toBeCloseTo((1 + 1 / 3 + 1 / 7 + 1 / 31) / 4, 12);
  });
  it('gives per-user values and refuses zero users', () => {
    expect([...perUser([0, 2], { metric: 'ndcg', k: 10 })]).toEqual([1, 0.5]);
    expect(() => meanMetric([], { metric: 'mrr' })).toThrowError(EvalInputError);
  });
});

describe('auc', () => {
  it('counts pairs where the positive is higher, ties half', () => {
    // pairs: (3 vs 1) win, (3 vs 2) win, (3 vs 3) tie, (1 vs 1) tie, (1 vs 2) loss, (1 vs 3) loss
    // → (2 + 0.5 + 0.5) / 6 = 0.5
    expect(auc([3, 1], [1, 2, 3])).toBe(0.5);
    expect(auc([5, 6], [1, 2])).toBe(1);
    expect(auc([0], [1])).toBe(0);
    expect(auc([2], [2, 2])).toBe(0.5);
  });
  it('rejects empty inputs and NaN', () => {
    expect(() => auc([], [1])).toThrowError(EvalInputError);
    expect(() => auc([NaN], [1])).toThrowError(/NaN/);
  });
});

describe('distinctN', () => {
  it('divides distinct n-grams by all n-grams', () => {
    // "a b a b": bigrams ab, ba, ab → 2 distinct / 3; unigrams a,b,a,b + c → 3 / 5
    expect(distinctN(['a b a b'], 2)).toBeCloseTo(2 / 3, 12);
    expect(distinctN([['a', 'b', 'a', 'b'], ['c']], 1)).toBe(3 / 5);
    expect(distinctN(['a'], 2)).toBe(0);
    expect(() => distinctN(['a'], 0)).toThrowError(EvalInputError);
  });
});
