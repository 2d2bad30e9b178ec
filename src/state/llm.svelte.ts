/**
 * The page's "language model" switch (off by default). Turning it on is the user asking for the
 * download: the rec-tuned model registered for the SASRec model in use (models/registry.json,
 * arch "llama-rec", page: true) is fetched from this origin by the LLM worker. While it is on,
 * RecommenderState re-ranks SASRec's candidates with it (`reranker`), ExplainState writes the
 * explanations with the constrained LLM verbaliser (`verbaliser`) and the chat falls back to it
 * when its rules understood nothing (`commandPicker`). Turning it off keeps the
 * worker's model but goes back to SASRec order and template sentences.
 *
 * A GGUF the user loaded in the Models panel (`user`, llm-user.svelte.ts) takes the rec-tuned
 * model's place while it is ready: the same three steps then run by prompting it
 * (src/rec/prompted-handler.ts) — candidate titles scored for the re-rank (for any SASRec model:
 * titles need no item tokens), the same constrained verbaliser and post-check, the same closed-set
 * command pick.
 */
import type { CatalogVocabulary } from '../rec/explain-check.ts';
import type { ExplanationFacts } from '../rec/explain-facts.ts';
import type { CommandPick } from '../rec/chat/llm-parse.ts';
import type { InterestLoadResult } from '../rec/interest-protocol.ts';
import type { RecExplainResult, RecLoadResult } from '../rec/pipeline-protocol.ts';
import { PROMPTED_HISTORY_TITLES } from '../rec/prompted-protocol.ts';
import { tunedModelUrls } from './llm-registry.ts';
import type { ListReranker } from './recommender.svelte.ts';
import type { PageLlmClient } from './llm-worker.ts';
import { UserLlmState } from './llm-user.svelte.ts';

/** SASRec candidates a user-loaded model re-ranks by title (each title is one scored continuation). */
export const USER_MODEL_CANDIDATES = 20;

/** Which model serves the language-model steps. */
export type LlmInUse = 'rec-tuned' | 'user';

/** The title of a model item id of the SASRec model in use (undefined: unknown). */
export type TitleOf = (id: number) => string | undefined;

/** Writes one explanation from its facts (`signal` cancels it). */
export type Verbaliser = (
  facts: ExplanationFacts,
  seed: number,
  vocabulary: CatalogVocabulary,
  signal: AbortSignal,
) => Promise<RecExplainResult>;

/** TALLRec's P(yes) per item in `items` for a user whose liked history is `history` (model ids, oldest first). */
export type InterestScorer = (history: number[], items: number[]) => Promise<number[]>;

/** Lets the model pick one of `choices` for a chat request the rules did not understand. */
export type CommandPicker = (request: string, choices: string[]) => Promise<CommandPick>;

/** Where LlmState finds the registry and the worker. */
export interface LlmSources {
  /** the page's base URL (document.baseURI) */
  baseUrl: string;
  fetch: typeof fetch;
  /** started on the first `enable()` only: no worker and no download while the switch is off */
  startClient: () => PageLlmClient;
}

/** Reactive state of the language-model switch. */
export class LlmState {
  on = $state(false);
  status = $state<'off' | 'loading' | 'ready' | 'error'>('off');
  progress = $state<string | undefined>();
  error = $state<string | undefined>();
  loaded = $state.raw<RecLoadResult | undefined>();
  /** the interest model (loaded after the rec-tuned one when the registry has one); its failure is not fatal */
  interest = $state.raw<InterestLoadResult | undefined>();
  interestError = $state<string | undefined>();
  /** a GGUF the user loaded; in use instead of the rec-tuned model while it is ready */
  readonly user: UserLlmState;
  readonly #sources: LlmSources;
  #client: PageLlmClient | undefined;
  // the vocabulary each handler set holds (rec.* and llm.* keep their own)
  readonly #sentVocabulary: Partial<Record<LlmInUse, CatalogVocabulary>> = {};

  constructor(sources: LlmSources) {
    this.#sources = sources;
    this.user = new UserLlmState(() => this.#startedClient());
  }

  #startedClient(): PageLlmClient {
    this.#client ??= this.#sources.startClient();
    return this.#client;
  }

  /** The model the steps use now: the user's when loaded, else the rec-tuned one when ready; null while off. */
  get inUse(): LlmInUse | null {
    if (!this.on) return null;
    if (this.user.status === 'ready') return 'user';
    return this.status === 'ready' ? 'rec-tuned' : null;
  }

  /** Load the kept GGUF `storedModel` (Models panel) and switch the language model on with it. */
  async useUserModel(storedModel: string): Promise<void> {
    if (await this.user.load(storedModel)) this.on = true;
  }

  /**
   * Turn the model on for the SASRec model `sasrecId`: the user's model when one is loaded, else the
   * rec-tuned one (downloaded and loaded the first time).
   */
  async enable(sasrecId: string): Promise<void> {
    this.on = true;
    if (this.user.status === 'ready') return; // the user's model is in use: nothing to download
    if (this.loaded) {
      this.status = 'ready';
      return;
    }
    this.status = 'loading';
    this.error = undefined;
    try {
      const urls = await tunedModelUrls(this.#sources.baseUrl, this.#sources.fetch);
      this.loaded = await this.#startedClient().request(
        'rec.load',
        { manifestUrl: urls.rec, sasrecId },
        { onProgress: (p) => (this.progress = p.message ?? p.stage) },
      );
      this.status = this.on ? 'ready' : 'off';
      if (urls.interest) await this.#loadInterest(urls.interest, sasrecId);
    } catch (error) {
      this.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      this.status = 'error';
      this.on = false;
    } finally {
      this.progress = undefined;
    }
  }

  /** Loads the interest model at `manifestUrl` for `sasrecId`; a failure only leaves it out. */
  async #loadInterest(manifestUrl: string, sasrecId: string): Promise<void> {
    try {
      this.interest = await this.#startedClient().request('interest.load', { manifestUrl, sasrecId });
      this.interestError = undefined;
    } catch (error) {
      this.interestError = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    }
  }

  /**
   * TALLRec's interest scorer while the rec-tuned model is in use and its interest model was tuned on
   * the SASRec model `sasrecId`; else null (a GGUF of the user's has no item tokens to ask with).
   */
  interestFor(sasrecId: string | undefined): InterestScorer | null {
    const client = this.#client;
    const interest = this.interest;
    if (this.inUse !== 'rec-tuned' || !client || !interest || this.loaded?.sasrec !== sasrecId) return null;
    // only the most recent items enter the prompt: a long history is not sent whole
    const recent = (history: number[]) => history.slice(-interest.historyItems);
    return async (history, items) =>
      (await client.request('interest.score', { history: recent(history), items })).pYes;
  }

  /**
   * "Delete everything": the user's GGUF leaves the LLM worker (UserLlmState.unload); the switch
   * stays on only if the rec-tuned model is ready to take over. Resolves to what the result line
   * says: '' when no model of the user's was loaded.
   */
  async unloadUserModel(): Promise<string> {
    const name = await this.user.unload();
    if (name === '') return '';
    if (this.status !== 'ready') this.disable();
    return `${name}, no longer in use`;
  }

  /** Back to SASRec order and template sentences. */
  disable(): void {
    this.on = false;
    if (this.status !== 'error') this.status = 'off';
  }

  /**
   * The re-ranker while a model is in use: the user's by title (`titleOf` names the SASRec model's
   * ids), or the rec-tuned one when the page ranks with the SASRec model `sasrecId` it was tuned on
   * (its item ids are that model's); else null.
   */
  rerankerFor(sasrecId: string | undefined, titleOf?: TitleOf): ListReranker | null {
    const client = this.#client;
    const loaded = this.loaded;
    const inUse = this.inUse;
    if (inUse === 'user' && client && titleOf) return titleReranker(client, titleOf);
    if (inUse !== 'rec-tuned' || !client || !loaded || loaded.sasrec !== sasrecId) return null;
    return {
      candidates: loaded.candidates,
      // only the most recent items enter the prompt: a long history is not sent whole (rec.rerank takes ≤ 1,000)
      rerank: (history, ids, scores) =>
        client.request('rec.rerank', {
          history: history.slice(-loaded.historyTokens),
          candidates: ids,
          scores,
        }),
    };
  }

  /** The LLM verbaliser while the model is on and ready, else null. */
  get verbaliser(): Verbaliser | null {
    const client = this.#client;
    const inUse = this.inUse;
    if (!inUse || !client) return null;
    return async (facts, seed, vocabulary, signal) => {
      if (this.#sentVocabulary[inUse] !== vocabulary) {
        const words = { titles: [...vocabulary.titles], genres: [...vocabulary.genres] };
        await (inUse === 'user'
          ? client.request('llm.vocabulary', words)
          : client.request('rec.vocabulary', words));
        this.#sentVocabulary[inUse] = vocabulary;
      }
      return inUse === 'user'
        ? client.request('llm.explain', { facts, seed }, { signal })
        : client.request('rec.explain', { facts, seed }, { signal });
    };
  }

  /** The chat parser's model fallback while the model is on and ready, else null. */
  get commandPicker(): CommandPicker | null {
    const client = this.#client;
    const inUse = this.inUse;
    if (!inUse || !client) return null;
    return async (request, choices) => {
      const { index, raw } = await (inUse === 'user'
        ? client.request('llm.command', { request, choices })
        : client.request('rec.command', { request, choices }));
      return { index: index ?? undefined, raw };
    };
  }
}

/** The user model's re-ranker: SASRec's top USER_MODEL_CANDIDATES by title (`llm.rerank`). */
function titleReranker(client: PageLlmClient, titleOf: TitleOf): ListReranker {
  const title = (id: number) => titleOf(id) ?? `item ${id}`;
  return {
    candidates: USER_MODEL_CANDIDATES,
    rerank: async (history, ids, scores) => {
      const answer = await client.request('llm.rerank', {
        history: history.slice(-PROMPTED_HISTORY_TITLES).map(title),
        candidates: ids.map(title),
        scores,
      });
      return { ids: answer.order.map((i) => ids[i]), ms: answer.ms };
    },
  };
}
