/**
 * Occlusion check for explanations: how much does SASRec's score of a recommended item drop when
 * one history item is removed? Gradient-free and causal for the model (unlike attention weights):
 * drop_j = score(item | history) − score(item | history without item j).
 *
 * All variants of one request go to the scorer in one call (`HistoryScorer`), so a backend can
 * batch them. For long windows only the `maxCandidates` positions with the most last-layer
 * attention are occluded; the result says so (`considered` < `windowLength`).
 */
import type { Tensor, TensorOps } from '../gpu/ops.ts';
import type { OcclusionEntry } from '../protocol/messages-sasrec.ts';
import { SasrecForward } from '../sasrec/forward.ts';
import { lastWindow } from '../sasrec/history.ts';
import type { SasrecWeights } from '../sasrec/weights.ts';

/** Scores of `items` for each history: result[h * items.length + i]; [histories, items]. */
export type HistoryScorer = (histories: readonly Int32Array[], items: Int32Array) => Promise<Float32Array>;

export type { OcclusionEntry };

/** Occlusion of every asked item. */
export interface OcclusionResult {
  /** per item (order of `items`): occluded history items, largest drop first */
  perItem: OcclusionEntry[][]; // [items][considered]
  /** base scores of the items with the full history; [items] */
  baseScores: number[];
  /** history positions occluded */
  considered: number;
  /** positions in the model's window (what could have been occluded) */
  windowLength: number;
}

/** Indices (into the window) of the `m` most attended positions, ties → the more recent. */
export function topAttended(attention: Float32Array, m: number): number[] {
  const order = [...attention.keys()].sort((a, b) => attention[b] - attention[a] || b - a);
  return order.slice(0, Math.max(0, m)).sort((a, b) => a - b);
}

/**
 * Occlude window positions of `history` and measure the score drop of each of `items`.
 * @param attention last-layer attention over the window [windowLength], used to pick candidates
 */
export async function occludeHistory(
  scorer: HistoryScorer,
  history: Int32Array,
  items: Int32Array,
  windowLength: number,
  attention: Float32Array,
  maxCandidates: number,
): Promise<OcclusionResult> {
  const windowStart = history.length - windowLength;
  // a one-item history has nothing to remove it against: no occlusion
  const positions =
    history.length < 2
      ? []
      : windowLength > maxCandidates
        ? topAttended(attention, maxCandidates)
        : Array.from({ length: windowLength }, (_, j) => j);
  const variants = positions.map((j) => {
    const without = new Int32Array(history.length - 1); // [len − 1]
    without.set(history.subarray(0, windowStart + j));
    without.set(history.subarray(windowStart + j + 1), windowStart + j);
    return without;
  });
  const scores = await scorer([history, ...variants], items); // [1 + positions, items]
  const n = items.length;
  const perItem = Array.from(items, (_, i) =>
    positions
      .map((j, v) => ({
        itemId: history[windowStart + j],
        index: windowStart + j,
        drop: scores[i] - scores[(v + 1) * n + i],
      }))
      .sort((a, b) => b.drop - a.drop || b.index - a.index),
  );
  return {
    perItem,
    baseScores: Array.from(scores.subarray(0, n)),
    considered: positions.length,
    windowLength,
  };
}

/**
 * A HistoryScorer running SASRec forwards on `ops` with its own KV caches (the ranking session's
 * caches are left alone). Call `dispose` when done.
 */
export function forwardScorer<T extends Tensor>(
  ops: TensorOps<T>,
  weights: SasrecWeights,
): { score: HistoryScorer; dispose: () => void } {
  const forward = new SasrecForward(ops, weights);
  const { maxLen, positions } = weights.config;
  const score: HistoryScorer = async (histories, items) => {
    const out = new Float32Array(histories.length * items.length); // [histories, items]
    for (let h = 0; h < histories.length; h++) {
      const window = lastWindow(histories[h], maxLen); // [≤ maxLen]
      const start = positions === 'from_start' ? 0 : maxLen - window.length;
      const hidden = forward.prefill(window, start); // [1, d]
      const all = forward.score(hidden); // [1, N + 1]
      ops.release(hidden);
      const values = await ops.read(all); // [N + 1]
      ops.release(all);
      items.forEach((id, i) => (out[h * items.length + i] = values[id]));
    }
    return out;
  };
  return { score, dispose: () => forward.dispose() };
}
