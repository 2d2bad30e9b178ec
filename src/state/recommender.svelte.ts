/**
 * Talks to the SASRec worker: loads the model, ranks the current history (top-k with scores), then
 * asks for attention-based "because you watched …" attributions for the ranked items.
 * With a `reranker` (the language model switched on, src/state/llm.svelte.ts) the SASRec list is
 * shown at once and replaced by the LLM's re-ranking of SASRec's top-C when it arrives.
 * A newer history supersedes an in-flight request (rpc cancels it; a generation counter drops it).
 */
import { untrack } from 'svelte';
import { CancelledError, hasErrorName } from '../protocol/errors.ts';
import type { Backend, BackendPreference } from '../protocol/messages.ts';
import type {
  RequestMap,
  SasrecExplainResult,
  SasrecLoadResult,
  SasrecRankParams,
  SasrecRankResult,
} from '../protocol/messages-sasrec.ts';
import type { RpcClient } from '../protocol/rpc.ts';
import { ModelItemIds } from './item-ids.ts';
import { historyWindowNote } from './history-window.ts';

/** What RecommenderState needs from a client: the rpc client, or a wrapper around one (the widget's shared queue). */
export type SasrecRequester = Pick<RpcClient<RequestMap>, 'request'>;

/** One "because you watched" reason: a history item key and its attention-based weight. */
export interface BecauseEntry {
  key: string;
  weight: number;
}

/** One recommended item. */
export interface Recommendation {
  key: string;
  /** SASRec's score */
  score: number;
  /** its place in SASRec's order (1 = best); differs from its place on screen under the language model's order */
  sasrecRank: number;
  /** strongest first; empty until attributions arrive */
  because: BecauseEntry[];
}

/** Re-orders SASRec's candidates (the rec-tuned LLM in the LLM worker, src/rec/pipeline-handler.ts). */
export interface ListReranker {
  /** how many SASRec candidates it re-ranks (C) */
  candidates: number;
  /** `ids` [C] / `scores` [C]: SASRec's top-C for `history`; answers the ids best first + worker time */
  rerank(history: number[], ids: number[], scores: number[]): Promise<{ ids: number[]; ms: number }>;
}

/** Which ranking the list on screen shows. */
export type ListSource = 'sasrec' | 'sasrec+llm';

/** What ran for the list on screen. */
export interface RunInfo {
  backend: Backend;
  /** ranking time inside the worker, ms */
  rankMs: number;
  /** attribution time inside the worker, ms (undefined until it arrives) */
  attributionMs?: number;
  incremental: boolean;
  inWorker: boolean;
  /**
   * the named error (\`DeviceLostError: …\`) the first try of this ranking failed with when the
   * worker's WebGPU device was lost under it; the ranking shown is the second try's
   */
  deviceLost?: string;
  /** the LLM re-rank step: worker time and page round trip, ms (set when the re-ranked list is shown) */
  rerankMs?: number;
  rerankRoundTripMs?: number;
}

/** Reactive recommender state shared through context. */
export class RecommenderState {
  model = $state.raw<SasrecLoadResult | undefined>();
  status = $state<'idle' | 'loading' | 'ranking' | 'ready' | 'error'>('idle');
  /** latest progress line while loading */
  progress = $state<string | undefined>();
  error = $state<string | undefined>();
  /** best first; [≤ k] */
  recommendations = $state.raw<Recommendation[]>([]);
  lastRun = $state.raw<RunInfo | undefined>();
  /** how many history items the model did not know (not in its items.json) */
  unknownInHistory = $state(0);
  /** set when the history is longer than the model's window (only its most recent maxLen items are used) */
  windowNote = $state<string | undefined>();
  /** which ranking `recommendations` holds */
  listSource = $state<ListSource>('sasrec');
  /** true while the LLM re-rank of the list on screen is pending */
  reranking = $state(false);
  /** set when the LLM re-rank failed (the SASRec list stays) */
  rerankError = $state<string | undefined>();
  /** the language model's re-ranker while it is switched on (read at each update) */
  reranker: ListReranker | null = null;
  readonly #client: SasrecRequester;
  readonly #k: number;
  #ids = new ModelItemIds([]);
  #generation = 0;

  /** `k` = list length (top-20 by default). */
  constructor(client: SasrecRequester, k = 20) {
    this.#client = client;
    this.#k = k;
  }

  /**
   * Load the model at `modelUrl` in the worker on `backend` ('auto' = WebGPU if it works). When
   * `signal` cancels it, the model loaded before (if any) stays in use.
   */
  async load(modelUrl: string, backend: BackendPreference, signal?: AbortSignal): Promise<void> {
    this.status = 'loading';
    try {
      const result = await this.#client.request(
        'sasrec.load',
        { modelUrl, backend },
        { onProgress: (p) => (this.progress = p.message ?? p.stage), ...(signal ? { signal } : {}) },
      );
      this.#ids = new ModelItemIds(result.itemKeys);
      this.model = result;
      this.status = 'ready';
    } catch (error) {
      if (signal?.aborted && error instanceof CancelledError) this.status = this.model ? 'ready' : 'idle';
      else this.#fail(error);
    } finally {
      this.progress = undefined;
    }
  }

  /** Re-rank for the history `keys` (oldest first); superseded calls return quietly. */
  async update(keys: readonly string[]): Promise<void> {
    if (!this.model) return;
    const generation = ++this.#generation;
    const { ids, kept } = this.#ids.toModelHistory(keys);
    this.unknownInHistory = keys.length - ids.length;
    this.windowNote = historyWindowNote(ids.length, this.model.maxLen);
    if (ids.length === 0) {
      this.recommendations = [];
      this.lastRun = undefined;
      this.status = 'ready';
      return;
    }
    this.status = 'ranking';
    const reranker = this.reranker;
    this.reranking = false;
    try {
      const { rank, deviceLost } = await this.#rankOnceMoreAfterDeviceLoss({
        history: ids,
        k: Math.max(this.#k, reranker?.candidates ?? 0),
        excludeHistory: true,
      });
      if (generation !== this.#generation) return;
      this.#show(rank.ids.slice(0, this.#k), rank, 'sasrec');
      let run: RunInfo = {
        backend: rank.backend,
        rankMs: rank.ms,
        incremental: rank.incremental,
        inWorker: this.model.inWorker,
        ...(deviceLost ? { deviceLost } : {}),
      };
      this.lastRun = run;
      this.status = 'ready';
      let shown = rank.ids.slice(0, this.#k); // [k]
      if (reranker) {
        const reranked = await this.#rerank(reranker, ids, rank, generation);
        if (generation !== this.#generation) return;
        if (reranked) {
          shown = reranked.ids.slice(0, this.#k);
          this.#show(shown, rank, 'sasrec+llm');
          run = { ...run, rerankMs: reranked.ms, rerankRoundTripMs: reranked.roundTripMs };
          this.lastRun = run;
        }
      }
      const why = await this.#client.request('sasrec.attribution', { history: ids, items: shown, top: 2 });
      if (generation !== this.#generation) return;
      this.recommendations = this.recommendations.map((r, i) => ({
        ...r,
        because: (why.because[i] ?? []).map((e) => ({ key: keys[kept[e.index]], weight: e.weight })),
      }));
      this.lastRun = { ...run, attributionMs: why.ms };
    } catch (error) {
      if (error instanceof CancelledError || generation !== this.#generation) return;
      this.#fail(error);
    }
  }

  /**
   * \`sasrec.rank\`. When the worker's WebGPU device is lost under it, the request fails with the named
   * DeviceLostError after the worker has re-created the device and reloaded the weights: keep that
   * error's text for the status line and send the request once more.
   */
  async #rankOnceMoreAfterDeviceLoss(
    params: SasrecRankParams,
  ): Promise<{ rank: SasrecRankResult; deviceLost?: string }> {
    try {
      return { rank: await this.#client.request('sasrec.rank', params) };
    } catch (error) {
      if (!hasErrorName(error, 'DeviceLostError')) throw error;
      const deviceLost = `DeviceLostError: ${(error as Error).message}`;
      return { rank: await this.#client.request('sasrec.rank', params), deviceLost };
    }
  }

  /**
   * SASRec's top-`k` for the history `keys`, leaving the list on screen alone (the chat asks for a
   * longer candidate list to filter). [] without a model or known history items. A newer
   * `sasrec.rank` (e.g. the page re-ranking) cancels it with CancelledError.
   */
  async candidates(keys: readonly string[], k: number): Promise<{ key: string; score: number }[]> {
    if (!this.model) return [];
    const { ids } = this.#ids.toModelHistory(keys);
    if (ids.length === 0) return [];
    const rank = await this.#client.request('sasrec.rank', { history: ids, k, excludeHistory: true });
    return rank.ids.map((id, i) => ({ key: this.#keyOf(id), score: rank.scores[i] }));
  }

  /**
   * The facts behind the ranked items `itemKeys` for the history `keys` (\`sasrec.explain\`:
   * attention + occlusion, see src/rec/explain-model.ts), with model ids mapped back to keys.
   * Undefined without a model or known history items; a newer request cancels it (CancelledError).
   */
  async explainFacts(
    keys: readonly string[],
    itemKeys: readonly string[],
  ): Promise<
    | { result: SasrecExplainResult; history: number[]; items: number[]; keyOf: (id: number) => string }
    | undefined
  > {
    if (!this.model) return undefined;
    const { ids } = this.#ids.toModelHistory(keys);
    const items = itemKeys.map((key) => this.#ids.idOf(key)).filter((id) => id !== undefined);
    if (ids.length === 0 || items.length === 0) return undefined;
    const result = await this.#client.request('sasrec.explain', { history: ids, items, top: 3 });
    return { result, history: ids, items, keyOf: (id) => this.#keyOf(id) };
  }

  /** The item key of the loaded model's id `id` (the language model names candidates by their titles). */
  keyOfId(id: number): string {
    return this.#keyOf(id);
  }

  /** The loaded model's id of the item key `key`; undefined when the model does not know it. */
  modelIdOf(key: string): number | undefined {
    return this.#ids.idOf(key);
  }

  /** Show `shown` (ids, best first) with their SASRec scores and places from `rank`. */
  #show(shown: number[], rank: { ids: number[]; scores: number[] }, source: ListSource): void {
    this.recommendations = shown.map((id) => {
      const at = rank.ids.indexOf(id);
      return { key: this.#keyOf(id), score: rank.scores[at] ?? 0, sasrecRank: at + 1, because: [] };
    });
    this.listSource = source;
  }

  /** The LLM re-rank of SASRec's top-C; undefined when superseded or failed (the SASRec list stays). */
  async #rerank(
    reranker: ListReranker,
    history: number[],
    rank: { ids: number[]; scores: number[] },
    generation: number,
  ): Promise<{ ids: number[]; ms: number; roundTripMs: number } | undefined> {
    this.reranking = true;
    const started = performance.now();
    try {
      const reranked = await reranker.rerank(history, rank.ids, rank.scores);
      this.rerankError = undefined;
      return { ...reranked, roundTripMs: performance.now() - started };
    } catch (error) {
      if (!(error instanceof CancelledError) && generation === this.#generation)
        this.rerankError = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      return undefined;
    } finally {
      if (generation === this.#generation) this.reranking = false;
    }
  }

  #keyOf(id: number): string {
    return this.#ids.keyOf(id) ?? `#${id}`;
  }

  #fail(error: unknown): void {
    this.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    this.status = 'error';
  }
}

/**
 * Inside a component's setup: re-rank whenever `state.history.keys` or the loaded model change
 * (only those two are tracked). Used by App.svelte and the widget.
 */
export function rankOnHistoryChange(state: {
  readonly history: { readonly keys: readonly string[] };
  readonly recommender: RecommenderState;
}): void {
  $effect(() => {
    const keys = state.history.keys;
    const model = state.recommender.model;
    untrack(() => {
      if (model) void state.recommender.update(keys);
    });
  });
}
