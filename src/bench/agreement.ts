/**
 * Do all backends return the same top-k for the same history? Ids must match exactly, in order;
 * scores of agreeing backends are compared to report the largest absolute difference.
 */
import type { RankResult } from '../sasrec/history.ts';
import { BACKENDS, type Agreement, type BackendId } from './report.ts';

/** Top-k per backend and history length. */
export type TopsByBackend = ReadonlyMap<BackendId, ReadonlyMap<number, RankResult>>;

/** The reference backend: CPU (the oracle) when it ran, else the first one that did. */
function referenceOf(tops: TopsByBackend): BackendId | undefined {
  return tops.has('cpu') ? 'cpu' : BACKENDS.find((b) => tops.has(b));
}

/** Same ids in the same order. */
function sameIds(a: Int32Array, b: Int32Array): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}

/** One Agreement per history length the reference backend ranked. */
export function compareTops(tops: TopsByBackend): Agreement[] {
  const reference = referenceOf(tops);
  if (!reference) return [];
  const referenceTops = tops.get(reference) as ReadonlyMap<number, RankResult>;
  return [...referenceTops.entries()].map(([historyLength, want]) => {
    const mismatches: Agreement['mismatches'] = [];
    let maxScoreDiff = 0;
    for (const backend of BACKENDS) {
      const got = backend === reference ? undefined : tops.get(backend)?.get(historyLength);
      if (!got) continue;
      if (!sameIds(got.ids, want.ids)) {
        mismatches.push({ backend, ids: Array.from(got.ids) });
        continue;
      }
      got.scores.forEach((s, i) => (maxScoreDiff = Math.max(maxScoreDiff, Math.abs(s - want.scores[i]))));
    }
    return { historyLength, reference, referenceIds: Array.from(want.ids), mismatches, maxScoreDiff };
  });
}
