/**
 * TALLRec's interest on the page: for the list on screen, the language model's P(yes) that the user
 * (whose history holds the movies they added as liked) likes each item, by item key. Filled while the
 * rec-tuned model and its interest model are in use (LlmState.interestFor); a newer list supersedes an
 * older request, and a failing request only leaves the figures out.
 */
import type { InterestScorer } from '../state/llm.svelte.ts';

/** What InterestState needs of the recommender: key → the SASRec model's id. */
export interface InterestSources {
  modelIdOf: (key: string) => number | undefined;
}

/** Reactive P(yes) by recommended item key. */
export class InterestState {
  pYes = $state.raw<Readonly<Record<string, number>>>({});
  readonly #sources: InterestSources;
  #generation = 0;

  constructor(sources: InterestSources) {
    this.#sources = sources;
  }

  /** P(yes) of each of `itemKeys` for the history `keys` (oldest first); `scorer` null clears them. */
  async refresh(
    scorer: InterestScorer | null,
    keys: readonly string[],
    itemKeys: readonly string[],
  ): Promise<void> {
    const generation = ++this.#generation;
    this.pYes = {};
    const known = (list: readonly string[]) =>
      list.flatMap((key) => {
        const id = this.#sources.modelIdOf(key);
        return id === undefined ? [] : [{ key, id }];
      });
    const history = known(keys);
    const items = known(itemKeys);
    if (!scorer || history.length === 0 || items.length === 0) return;
    try {
      const p = await scorer(
        history.map((h) => h.id),
        items.map((i) => i.id),
      );
      if (generation === this.#generation)
        this.pYes = Object.fromEntries(items.map((item, i) => [item.key, p[i]]));
    } catch {
      // the figures are an extra: a failed request (e.g. superseded, model gone) shows none
    }
  }
}
