/**
 * Seeded benchmark histories: distinct item ids drawn uniformly from 1..itemCount, and a copy with
 * its first item replaced (a non-prefix edit, so a KV-cached session must recompute everything).
 */
import { Rng, deriveSeed } from '../eval/random.ts';

/** The catalog is too small for the requested history (it needs length + 1 distinct ids). */
export class HistoryTooLongError extends Error {
  override readonly name = 'HistoryTooLongError';
}

/** `length` distinct ids from 1..itemCount, the same for the same (seed, length). */
export function benchHistory(itemCount: number, length: number, seed: number): Int32Array {
  if (!Number.isInteger(length) || length < 1 || length + 1 > itemCount) {
    throw new HistoryTooLongError(
      `a bench history of ${length} items needs ${length + 1} distinct ids but the model has ${itemCount}; ` +
        'choose shorter --lengths',
    );
  }
  const rng = new Rng(deriveSeed(seed, length));
  const seen = new Set<number>();
  const history = new Int32Array(length); // [length]
  for (let i = 0; i < length;) {
    const id = 1 + rng.nextInt(itemCount);
    if (seen.has(id)) continue;
    seen.add(id);
    history[i++] = id;
  }
  return history;
}

/** A copy of `history` whose first item is the smallest id (1..itemCount) not in it. */
export function withFirstItemReplaced(history: Int32Array, itemCount: number): Int32Array {
  const used = new Set(history);
  let replacement = 1;
  while (used.has(replacement)) replacement++;
  if (replacement > itemCount) {
    throw new HistoryTooLongError(
      `every id 1..${itemCount} is in the history; nothing to replace the first item with`,
    );
  }
  const edited = history.slice(); // [n]
  edited[0] = replacement;
  return edited;
}
