/**
 * History checks and exclusion lists shared by every SASRec ranking backend (TensorOps, ONNX).
 */

/** rank() was called with no history; show a popularity fallback instead. */
export class EmptyHistoryError extends Error {
  override name = 'EmptyHistoryError';
  constructor() {
    super('the history is empty; SASRec needs at least one item (show popular items instead)');
  }
}

/** The history holds an id the model does not know (ids are 1..itemCount). */
export class UnknownItemError extends Error {
  override name = 'UnknownItemError';
}

/** Throw EmptyHistoryError / UnknownItemError unless every id of `history` is in 1..itemCount. */
export function validateHistory(history: Int32Array, itemCount: number): void {
  if (history.length === 0) throw new EmptyHistoryError();
  history.forEach((id, index) => {
    if (id < 1 || id > itemCount) {
      throw new UnknownItemError(
        `history[${index}] = ${id} is not an item of this model (ids 1..${itemCount}); map the key through the model's items.json`,
      );
    }
  });
}

/** Ids never recommended: padding id 0, plus every history item unless `excludeHistory` is false. */
export function excludedIds(history: Int32Array, excludeHistory = true): Int32Array {
  return excludeHistory ? Int32Array.from(new Set([0, ...history])) : Int32Array.of(0); // [e]
}

/** The items a model of window `maxLen` sees: the last maxLen of the history. */
export function lastWindow(history: Int32Array, maxLen: number): Int32Array {
  return history.slice(Math.max(0, history.length - maxLen)); // [≤maxLen]
}

/** Options of `rank`. */
export interface RankOptions {
  /** drop items already in the history from the results (default true) */
  excludeHistory?: boolean;
}

/** Ranked items, best first, and how the answer was computed. */
export interface RankResult {
  ids: Int32Array; // [≤k]
  scores: Float32Array; // [≤k]
  /** true when cached keys/values were reused */
  incremental: boolean;
  /** window positions pushed through the network for this request */
  positionsComputed: number;
}
