/**
 * The page's "language model" switch (off by default). Turning it on is the user asking for the
 * download: the rec-tuned model registered for the SASRec model in use (models/registry.json,
 * arch "llama-rec", page: true) is fetched from this origin by the LLM worker. While it is on,
 * RecommenderState re-ranks SASRec's candidates with it (`reranker`), ExplainState writes the
 * explanations with the constrained LLM verbaliser (`verbaliser`) and the chat falls back to it
 * when its rules understood nothing (`commandPicker`). Turning it off keeps the
 * worker's model but goes back to SASRec order and template sentences.
 */
import type { CatalogVocabulary } from '../rec/explain-check.ts';
import type { ExplanationFacts } from '../rec/explain-facts.ts';
import type { CommandPick } from '../rec/chat/llm-parse.ts';
import type { RecExplainResult, RecLoadResult } from '../rec/pipeline-protocol.ts';
import { recManifestUrl } from './llm-registry.ts';
import type { ListReranker } from './recommender.svelte.ts';
import type { RecLlmClient } from './llm-worker.ts';

/** Writes one explanation from its facts (`signal` cancels it). */
export type Verbaliser = (
  facts: ExplanationFacts,
  seed: number,
  vocabulary: CatalogVocabulary,
  signal: AbortSignal,
) => Promise<RecExplainResult>;

/** Lets the model pick one of `choices` for a chat request the rules did not understand. */
export type CommandPicker = (request: string, choices: string[]) => Promise<CommandPick>;

/** Where LlmState finds the registry and the worker. */
export interface LlmSources {
  /** the page's base URL (document.baseURI) */
  baseUrl: string;
  fetch: typeof fetch;
  /** started on the first `enable()` only: no worker and no download while the switch is off */
  startClient: () => RecLlmClient;
}

/** Reactive state of the language-model switch. */
export class LlmState {
  on = $state(false);
  status = $state<'off' | 'loading' | 'ready' | 'error'>('off');
  progress = $state<string | undefined>();
  error = $state<string | undefined>();
  loaded = $state.raw<RecLoadResult | undefined>();
  readonly #sources: LlmSources;
  #client: RecLlmClient | undefined;
  #sentVocabulary: CatalogVocabulary | undefined;

  constructor(sources: LlmSources) {
    this.#sources = sources;
  }

  /** Turn the model on for the SASRec model `sasrecId` (downloads and loads it the first time). */
  async enable(sasrecId: string): Promise<void> {
    this.on = true;
    if (this.loaded) {
      this.status = 'ready';
      return;
    }
    this.status = 'loading';
    this.error = undefined;
    try {
      const manifestUrl = await recManifestUrl(this.#sources.baseUrl, this.#sources.fetch);
      this.#client ??= this.#sources.startClient();
      this.loaded = await this.#client.request(
        'rec.load',
        { manifestUrl, sasrecId },
        { onProgress: (p) => (this.progress = p.message ?? p.stage) },
      );
      this.status = this.on ? 'ready' : 'off';
    } catch (error) {
      this.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      this.status = 'error';
      this.on = false;
    } finally {
      this.progress = undefined;
    }
  }

  /** Back to SASRec order and template sentences. */
  disable(): void {
    this.on = false;
    if (this.status !== 'error') this.status = 'off';
  }

  /**
   * The re-ranker while the model is on and ready and the page ranks with the SASRec model
   * `sasrecId` it was tuned on (its item ids are that model's), else null.
   */
  rerankerFor(sasrecId: string | undefined): ListReranker | null {
    const client = this.#client;
    const loaded = this.loaded;
    if (!this.on || this.status !== 'ready' || !client || !loaded || loaded.sasrec !== sasrecId) return null;
    return {
      candidates: loaded.candidates,
      rerank: (history, ids, scores) => client.request('rec.rerank', { history, candidates: ids, scores }),
    };
  }

  /** The LLM verbaliser while the model is on and ready, else null. */
  get verbaliser(): Verbaliser | null {
    const client = this.#client;
    if (!this.on || this.status !== 'ready' || !client) return null;
    return async (facts, seed, vocabulary, signal) => {
      if (this.#sentVocabulary !== vocabulary) {
        await client.request('rec.vocabulary', {
          titles: [...vocabulary.titles],
          genres: [...vocabulary.genres],
        });
        this.#sentVocabulary = vocabulary;
      }
      return client.request('rec.explain', { facts, seed }, { signal });
    };
  }

  /** The chat parser's model fallback while the model is on and ready, else null. */
  get commandPicker(): CommandPicker | null {
    const client = this.#client;
    if (!this.on || this.status !== 'ready' || !client) return null;
    return async (request, choices) => {
      const { index, raw } = await client.request('rec.command', { request, choices });
      return { index: index ?? undefined, raw };
    };
  }
}
