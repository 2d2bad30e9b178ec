/**
 * Translation between item keys (what the page and IndexedDB store) and a model's dense ids.
 * A model's `items.json` lists the key of id 1, 2, …; the catalog has its own ids, so the two are
 * joined by key, never by number (docs/ARCHITECTURE.md, "Item ids").
 */

/** Key ↔ model id maps built from a model's item key list (index i ↔ id i + 1). */
export class ModelItemIds {
  readonly #keys: readonly string[];
  readonly #idOfKey: Map<string, number>;

  /** `itemKeys[i]` is the key of model id i + 1. */
  constructor(itemKeys: readonly string[]) {
    this.#keys = itemKeys;
    this.#idOfKey = new Map(itemKeys.map((key, i) => [key, i + 1]));
  }

  /** Number of items N the model knows. */
  get count(): number {
    return this.#keys.length;
  }

  /** Model id of `key`, or undefined if the model never saw that item. */
  idOf(key: string): number | undefined {
    return this.#idOfKey.get(key);
  }

  /** Key of model id `id` (1..N), or undefined when out of range. */
  keyOf(id: number): string | undefined {
    return Number.isInteger(id) && id >= 1 && id <= this.#keys.length ? this.#keys[id - 1] : undefined;
  }

  /**
   * Model ids for a history of keys, oldest first, skipping keys the model does not know.
   * `kept[i]` is the history index of `ids[i]` so attributions can point back at the history.
   */
  toModelHistory(keys: readonly string[]): { ids: number[]; kept: number[] } {
    const ids: number[] = []; // [m]
    const kept: number[] = []; // [m]
    keys.forEach((key, i) => {
      const id = this.#idOfKey.get(key);
      if (id !== undefined) {
        ids.push(id);
        kept.push(i);
      }
    });
    return { ids, kept };
  }
}
