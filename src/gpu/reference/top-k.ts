/**
 * Plain top-k selection: the best k scores, best first, ties broken towards the lower index,
 * ids listed in `exclude` skipped. NaN scores rank below every number (and −Infinity) and are
 * returned only when nothing else is left. Fewer than k results when fewer ids are eligible.
 */
import type { TopK } from '../ops.ts';

/** True when (scoreA, idA) ranks before (scoreB, idB): higher score, then lower id; NaN last. */
export function ranksBefore(scoreA: number, idA: number, scoreB: number, idB: number): boolean {
  const aNaN = Number.isNaN(scoreA);
  const bNaN = Number.isNaN(scoreB);
  if (aNaN !== bNaN) return bNaN;
  if (!aNaN && scoreA !== scoreB) return scoreA > scoreB;
  return idA < idB;
}

/** Best `k` of `scores` [n] skipping `exclude` ids. */
export function topKReference(
  scores: Float32Array, // [n]
  k: number,
  exclude: Int32Array, // [e]
): TopK {
  const excluded = new Set(exclude);
  const ids: number[] = []; // [≤k], kept sorted best first
  for (let id = 0; id < scores.length; id++) {
    if (excluded.has(id)) continue;
    let at = ids.length;
    while (at > 0 && ranksBefore(scores[id], id, scores[ids[at - 1]], ids[at - 1])) at--;
    if (at < k) {
      ids.splice(at, 0, id);
      if (ids.length > k) ids.pop();
    }
  }
  return { ids: Int32Array.from(ids), scores: Float32Array.from(ids, (id) => scores[id]) };
}
