/**
 * The page's explanations: after each ranking, ask the SASRec worker for the facts of the shown
 * items (`RecommenderState.explainFacts`), join them with the catalog and the profile, and stream
 * one explanation per item into `texts` (template sentence; the LLM verbaliser when a model or the
 * LLM worker's `verbaliser` is given). A newer `refresh` cancels pending work: the worker requests
 * are superseded or aborted and the loop of the older call stops at its next item.
 */
import type { CatalogItem } from '../data/types.ts';
import type { LanguageModel } from '../llm/language-model.ts';
import { CancelledError } from '../protocol/errors.ts';
import { catalogVocabulary, type CatalogVocabulary } from './explain-check.ts';
import { buildItemFacts, type ExplanationFacts } from './explain-facts.ts';
import { llmExplanation } from './explain-llm.ts';
import { templateExplanation, type Explanation } from './explain-text.ts';
import { buildProfile, type UserProfile } from './profile.ts';
import type { RecommenderState } from '../state/recommender.svelte.ts';
import type { Verbaliser } from '../state/llm.svelte.ts';

/** What ExplainState needs of the recommender and the catalog. */
export interface ExplainSources {
  recommender: Pick<RecommenderState, 'explainFacts'>;
  /** catalog entry of an item key */
  itemOfKey: (key: string) => CatalogItem | undefined;
  /** every catalog item (vocabulary of the post-check) */
  catalogItems: () => readonly CatalogItem[];
}

/** Reactive facts and texts of the list on screen, by recommended item key. */
export class ExplainState {
  facts = $state.raw<Readonly<Record<string, ExplanationFacts>>>({});
  texts = $state.raw<Readonly<Record<string, Explanation>>>({});
  profile = $state.raw<UserProfile | undefined>();
  /** set when the facts could not be computed */
  error = $state<string | undefined>();
  /** the LLM verbaliser's model (in this thread); null → see `verbaliser` */
  model: LanguageModel | null = null;
  /** the LLM verbaliser in the LLM worker (the page's language-model switch); null → template sentences */
  verbaliser: Verbaliser | null = null;
  /** generation time of each LLM explanation of the lists shown so far (worker time, ms) */
  llmMs = $state.raw<number[]>([]);
  #abort: AbortController | undefined;
  readonly #sources: ExplainSources;
  #generation = 0;
  #vocab: CatalogVocabulary | undefined;
  #vocabOf: readonly CatalogItem[] | undefined;

  constructor(sources: ExplainSources) {
    this.#sources = sources;
  }

  /** Facts and explanations for `itemKeys` (the list, best first) given the history `keys`. */
  async refresh(keys: readonly string[], itemKeys: readonly string[], seed = 0): Promise<void> {
    const generation = ++this.#generation;
    const current = (): boolean => generation === this.#generation;
    this.#abort?.abort();
    const abort = (this.#abort = new AbortController());
    this.texts = {};
    try {
      const answer = await this.#sources.recommender.explainFacts(keys, itemKeys);
      if (!current()) return;
      if (!answer) {
        this.facts = {};
        return;
      }
      const { result, history, items, keyOf } = answer;
      const itemById = (id: number): CatalogItem | undefined => this.#sources.itemOfKey(keyOf(id));
      const profile = buildProfile(history, itemById);
      // [items] in list order: an object keyed by MovieLens ids ("2571") would iterate in ascending id order
      const ordered = items.map(
        (id, i) => [keyOf(id), buildItemFacts(id, result.items[i], profile, itemById, result)] as const,
      );
      const facts = Object.fromEntries(ordered);
      this.profile = profile;
      this.facts = facts;
      this.error = undefined;
      const vocab = this.#vocabulary();
      const verbaliser = this.verbaliser;
      for (const [key, f] of ordered) {
        let text: Explanation;
        if (verbaliser) {
          const answer = await verbaliser(f, seed, vocab, abort.signal);
          if (!current()) return;
          text = answer.explanation;
          this.llmMs = [...this.llmMs, answer.ms];
        } else {
          text = this.model
            ? await llmExplanation(this.model, f, vocab, { seed })
            : templateExplanation(f, seed);
        }
        if (!current()) return;
        this.texts = { ...this.texts, [key]: text };
        await Promise.resolve(); // let the list paint item by item
      }
    } catch (error) {
      if (error instanceof CancelledError || !current()) return;
      this.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    }
  }

  #vocabulary(): CatalogVocabulary {
    const items = this.#sources.catalogItems();
    if (this.#vocab === undefined || this.#vocabOf !== items) {
      this.#vocab = catalogVocabulary(items);
      this.#vocabOf = items;
    }
    return this.#vocab;
  }
}
