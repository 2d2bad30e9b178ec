/**
 * RecExplainer-style alignment metrics: where does SASRec's own top item land in another ranking of
 * the same candidates? H@k / N@k of one label per case, ranks pessimistic on ties.
 */
import { Rng } from '../../src/eval/random.ts';

/** 0-based rank of candidate `label` [index] under `scores` [C]; ties count against it. */
export function pessimisticRank(scores: ArrayLike<number>, label: number): number {
  let rank = 0;
  for (let i = 0; i < scores.length; i++) {
    if (i !== label && scores[i] >= scores[label]) rank++;
  }
  return rank;
}

/** Mean HR@k and NDCG@k of 0-based `ranks` [cases]. */
export function hitNdcgAt(ranks: readonly number[], k: number): { hr: number; ndcg: number } {
  let hr = 0;
  let ndcg = 0;
  for (const r of ranks) {
    if (r >= k) continue;
    hr++;
    ndcg += 1 / Math.log2(r + 2);
  }
  const n = Math.max(ranks.length, 1);
  return { hr: hr / n, ndcg: ndcg / n };
}

/** Expected HR@k / NDCG@k of a uniformly random order of `count` candidates with one label. */
export function randomHitNdcgAt(count: number, k: number): { hr: number; ndcg: number } {
  let ndcg = 0;
  for (let r = 0; r < Math.min(k, count); r++) ndcg += 1 / Math.log2(r + 2);
  return { hr: Math.min(k, count) / count, ndcg: ndcg / count };
}

/** A seeded permutation of 0..n-1 (Fisher–Yates on src/eval/random.ts's Rng); [n]. */
export function seededPermutation(n: number, seed: number): number[] {
  const rng = new Rng(seed);
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}
