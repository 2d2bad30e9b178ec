/**
 * The page's shared state objects, handed to components through Svelte context.
 */
import { createContext } from 'svelte';
import type { CatalogState } from './catalog.svelte.ts';
import type { EraseState } from './erase.svelte.ts';
import type { HistoryState } from './history.svelte.ts';
import type { LlmState } from './llm.svelte.ts';
import type { ModelsState } from './model-store.svelte.ts';
import type { RecommenderState } from './recommender.svelte.ts';

/** Everything a component may need. */
export interface AppState {
  catalog: CatalogState;
  history: HistoryState;
  recommender: RecommenderState;
  /** the Models panel (page only; absent where no model store is used) */
  models?: ModelsState;
  /** the language-model switch (page only; the rec-tuned LLM in the LLM worker) */
  llm?: LlmState;
  /** the "Delete everything" button (page only) */
  erase?: EraseState;
}

const [getAppState, setAppState] = createContext<AppState>();

/** `getAppState()` inside a component below `App`; `setAppState(state)` once in `App`. */
export { getAppState, setAppState };
