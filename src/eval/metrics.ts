/**
 * Ranking metrics from the 0-based rank of the held-out target (rank 0 = top of the list), plus
 * AUC and Distinct-n. One relevant item per user, so:
 *   HR@K   = [rank < K]
 *   NDCG@K = [rank < K] / log2(rank + 2)   (ideal DCG is 1)
 *   MRR    = 1 / (rank + 1)
 */
import { EvalInputError } from './errors.ts';

/** Hit at K for one user. */
export function hitAt(rank: number, k: number): number {
  return rank < k ? 1 : 0;
}

/** NDCG at K for one user. */
export function ndcgAt(rank: number, k: number): number {
  return rank < k ? 1 / Math.log2(rank + 2) : 0;
}

/** Reciprocal rank for one user. */
export function reciprocalRank(rank: number): number {
  return 1 / (rank + 1);
}

/** A per-user metric name with its cutoff. */
export type MetricSpec = { metric: 'hr' | 'ndcg'; k: number } | { metric: 'mrr' };

/** Per-user values of a metric; ranks [users] → values [users] (for bootstrap tests). */
export function perUser(ranks: ArrayLike<number>, spec: MetricSpec): Float64Array {
  const out = new Float64Array(ranks.length); // [users]
  for (let u = 0; u < ranks.length; u++) {
    const r = ranks[u];
    out[u] =
      spec.metric === 'mrr' ? reciprocalRank(r) : spec.metric === 'hr' ? hitAt(r, spec.k) : ndcgAt(r, spec.k);
  }
  return out;
}

/** Mean of a per-user metric over users; 0 users → EvalInputError. */
export function meanMetric(ranks: ArrayLike<number>, spec: MetricSpec): number {
  if (ranks.length === 0) throw new EvalInputError('No ranks to average: the evaluation had 0 users.');
  const values = perUser(ranks, spec);
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** Cutoffs reported for HR and NDCG. */
export const HR_CUTOFFS = [1, 5, 10, 20] as const;
/** Cutoffs reported for NDCG. */
export const NDCG_CUTOFFS = [5, 10, 20] as const;

/** The aggregated figures every evaluation reports. */
export interface RankingMetrics {
  users: number;
  /** HR@1/5/10/20, keyed by cutoff */
  hr: Record<(typeof HR_CUTOFFS)[number], number>;
  /** NDCG@5/10/20, keyed by cutoff */
  ndcg: Record<(typeof NDCG_CUTOFFS)[number], number>;
  mrr: number;
}

/** Aggregate per-user ranks [users] into HR@1/5/10/20, NDCG@5/10/20 and MRR. */
export function summarizeRanks(ranks: ArrayLike<number>): RankingMetrics {
  const hr = Object.fromEntries(HR_CUTOFFS.map((k) => [k, meanMetric(ranks, { metric: 'hr', k })]));
  const ndcg = Object.fromEntries(NDCG_CUTOFFS.map((k) => [k, meanMetric(ranks, { metric: 'ndcg', k })]));
  return {
    users: ranks.length,
    hr: hr as RankingMetrics['hr'],
    ndcg: ndcg as RankingMetrics['ndcg'],
    mrr: meanMetric(ranks, { metric: 'mrr' }),
  };
}

/**
 * Area under the ROC curve: the probability that a random positive scores above a random
 * negative; ties count half (Mann–Whitney U / (P·N)).
 * @param positives scores of positive examples; [P], P ≥ 1
 * @param negatives scores of negative examples; [N], N ≥ 1
 */
export function auc(positives: ArrayLike<number>, negatives: ArrayLike<number>): number {
  if (positives.length === 0 || negatives.length === 0) {
    throw new EvalInputError(
      `AUC needs at least one positive and one negative score, got ${positives.length} and ${negatives.length}.`,
    );
  }
  const neg = Float64Array.from(negatives).sort(); // [N] ascending
  if (Number.isNaN(neg[neg.length - 1]) || Array.prototype.some.call(positives, Number.isNaN)) {
    throw new EvalInputError('AUC got a NaN score; scores must be numbers.');
  }
  let wins = 0;
  for (let i = 0; i < positives.length; i++) {
    const p = positives[i];
    const below = bound(neg, p, false);
    const equal = bound(neg, p, true) - below;
    wins += below + equal / 2;
  }
  return wins / (positives.length * neg.length);
}

/** Index of the first element ≥ value (strict = false) or > value (strict = true) in an ascending array. */
function bound(sorted: Float64Array, value: number, strict: boolean): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < value || (strict && sorted[mid] === value)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Distinct-n: distinct n-grams / all n-grams over a set of texts (diversity of generated text).
 * @param texts each text as tokens, or a string split on whitespace
 * @returns 0 when there are no n-grams
 */
export function distinctN(texts: readonly (string | readonly string[])[], n: number): number {
  if (!Number.isInteger(n) || n < 1) throw new EvalInputError(`Distinct-n needs an integer n ≥ 1, got ${n}.`);
  const seen = new Set<string>();
  let total = 0;
  for (const text of texts) {
    const tokens = typeof text === 'string' ? text.split(/\s+/).filter((t) => t !== '') : text;
    for (let i = 0; i + n <= tokens.length; i++) {
      seen.add(tokens.slice(i, i + n).join('\u0000'));
      total++;
    }
  }
  return total === 0 ? 0 : seen.size / total;
}
