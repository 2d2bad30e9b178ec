/**
 * One user's ranking session: keeps the KV caches of the current history window and decides,
 * per request, between an incremental update and a full recompute.
 *
 * Incremental when positions are `from_start`, the new history extends the cached window by ≥ 1
 * items and still fits in maxLen; the same history again reuses the last hidden state (0 positions
 * computed). Everything else (an edited history, right_aligned positions, a history longer than
 * maxLen → its last maxLen items) is a full recompute of the window.
 */
import type { Tensor, TensorOps } from '../gpu/ops';
import { SasrecForward } from './forward';
import type { SasrecWeights } from './weights';
import {
  EmptyHistoryError,
  excludedIds,
  lastWindow,
  validateHistory,
  type RankOptions,
  type RankResult,
} from './history';

export { EmptyHistoryError, UnknownItemError, type RankOptions, type RankResult } from './history';

/** Attention of the last history position over the window, for "because you watched …". */
export interface Attribution {
  items: Int32Array; // [window] item ids, oldest first
  weights: Float32Array; // [window] last block's attention weights (sum 1), averaged over heads
}

/** SASRec ranking over a growing history with KV-cache reuse. */
export class SasrecSession<T extends Tensor> {
  readonly #ops: TensorOps<T>;
  readonly #forward: SasrecForward<T>;
  #window: Int32Array | null = null; // [rows] items whose keys/values are cached
  #lastHidden: T | null = null; // [1, d] final hidden state of the cached window

  /** Upload the weights to `ops` and start with an empty cache. */
  constructor(ops: TensorOps<T>, weights: SasrecWeights) {
    this.#ops = ops;
    this.#forward = new SasrecForward(ops, weights);
  }

  /** The top-k next items for `history` (oldest first, ids 1..itemCount). */
  async rank(history: Int32Array, k: number, options: RankOptions = {}): Promise<RankResult> {
    validateHistory(history, this.#forward.config.itemCount);
    const { incremental, positionsComputed } = this.#update(history);
    const scores = this.#forward.score(this.#lastHidden as T); // [1, itemCount + 1]
    const exclude = excludedIds(history, options.excludeHistory); // [e]
    try {
      const top = await this.#ops.topK(scores, k, exclude);
      return { ids: top.ids, scores: top.scores, incremental, positionsComputed };
    } finally {
      this.#ops.release(scores);
    }
  }

  /** Attention weights of the last ranked history's final position over its window. */
  async attribution(): Promise<Attribution> {
    if (!this.#window) throw new EmptyHistoryError();
    const weights = await this.#forward.lastAttention();
    return { items: this.#window.slice(), weights };
  }

  /** Release the model's tensors (e.g. before loading another model); the session is unusable afterwards. */
  dispose(): void {
    if (this.#lastHidden) this.#ops.release(this.#lastHidden);
    this.#lastHidden = null;
    this.#window = null;
    this.#forward.dispose();
  }

  /** Bring the cache up to date with `history`; sets #lastHidden. */
  #update(history: Int32Array): { incremental: boolean; positionsComputed: number } {
    const { maxLen, positions } = this.#forward.config;
    // A forward pass that threw half-way leaves the caches out of step with #window: recompute.
    const cached = this.#window?.length === this.#forward.cachedRows ? this.#window : null;
    if (cached && history.length <= maxLen && startsWith(history, cached)) {
      if (history.length === cached.length) return { incremental: true, positionsComputed: 0 };
      if (positions === 'from_start') {
        const added = history.subarray(cached.length);
        this.#keepHidden(this.#forward.extend(added), history.slice());
        return { incremental: true, positionsComputed: added.length };
      }
    }
    const window = lastWindow(history, maxLen); // [≤maxLen]
    const positionStart = positions === 'from_start' ? 0 : maxLen - window.length;
    this.#keepHidden(this.#forward.prefill(window, positionStart), window);
    return { incremental: false, positionsComputed: window.length };
  }

  #keepHidden(h: T, window: Int32Array): void {
    if (this.#lastHidden) this.#ops.release(this.#lastHidden);
    this.#lastHidden = h;
    this.#window = window;
  }
}

/** Whether `sequence` begins with every element of `prefix`. */
function startsWith(sequence: Int32Array, prefix: Int32Array): boolean {
  if (prefix.length > sequence.length) return false;
  for (let i = 0; i < prefix.length; i++) if (sequence[i] !== prefix[i]) return false;
  return true;
}
