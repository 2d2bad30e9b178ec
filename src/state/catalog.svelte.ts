/**
 * The item catalog the page searches and displays (titles, years, genres), keyed by item key.
 */
import { mostPopular } from '../data/catalog.ts';
import { displayTitle } from '../data/title.ts';
import type { CatalogItem } from '../data/types.ts';
import { buildSearchIndex, searchCatalog } from './search.ts';

/** A loaded catalog: items in id order and their interaction counts. */
export interface LoadedCatalog {
  items: CatalogItem[]; // [N]
  /** training interactions per dense id; [N + 1], index 0 unused */
  popularity: Int32Array;
}

/** Loads a catalog from a URL (the binary catalog bundled under public/data/). */
export type CatalogLoader = (url: string) => Promise<LoadedCatalog>;

/** Reactive catalog shared through context. */
export class CatalogState {
  /** items in catalog id order; [N] */
  items = $state.raw<CatalogItem[]>([]);
  status = $state<'loading' | 'ready' | 'error'>('loading');
  error = $state<string | undefined>();
  readonly #index = $derived(buildSearchIndex(this.items));
  /** item keys, most interacted-with first */
  #popularKeys = $state.raw<string[]>([]);
  // rebuilt (never mutated) when `items` changes, so a plain Map is right here
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  readonly #byKey = $derived(new Map(this.items.map((item) => [item.key, item])));

  /** Fetch and unpack the catalog with `loader`. */
  async load(loader: CatalogLoader, url: string): Promise<void> {
    this.status = 'loading';
    try {
      const loaded = await loader(url);
      this.#popularKeys = Array.from(mostPopular(loaded.popularity), (id) => loaded.items[id - 1].key);
      this.items = loaded.items;
      this.status = 'ready';
    } catch (error) {
      this.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      this.status = 'error';
    }
  }

  /**
   * The `n` most interacted-with items not in `exclude` (the labelled fallback when there is no
   * history to personalise from).
   */
  popular(n: number, exclude: readonly string[] = []): string[] {
    const keys: string[] = [];
    for (const key of this.#popularKeys) {
      if (keys.length >= n) break;
      if (!exclude.includes(key)) keys.push(key);
    }
    return keys;
  }

  /** The item with `key`, if the catalog has it. */
  get(key: string): CatalogItem | undefined {
    return this.#byKey.get(key);
  }

  /** Display title "The Rock (1996)" of `key` (data/title.ts `displayTitle`), or "item <key>" when unknown. */
  label(key: string): string {
    const item = this.#byKey.get(key);
    return item ? displayTitle(item) : `item ${key}`;
  }

  /** Title-substring search; prefix matches first. */
  search(query: string, limit = 20): CatalogItem[] {
    return searchCatalog(this.#index, query, limit);
  }
}
