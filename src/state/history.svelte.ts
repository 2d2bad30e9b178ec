/**
 * The user's liked items (by catalog key, oldest first), persisted to IndexedDB after each change.
 */
import { toHistoryExport, type HistoryEntry, type HistoryExport } from './history-codec.ts';
import type { HistoryStore } from './history-store.ts';

/** Reactive history shared through context. */
export class HistoryState {
  /** oldest first; [n] */
  entries = $state.raw<HistoryEntry[]>([]);
  /** item keys in history order; [n] */
  readonly keys = $derived(this.entries.map((e) => e.key));
  /** IndexedDB writes still in flight (0 = what is shown is what a reload will restore) */
  pendingWrites = $state(0);
  /** last storage problem, shown to the user (history still works in memory) */
  storageError = $state<string | undefined>();
  readonly #store: HistoryStore | null;

  /** `store` null = keep the history in memory only (IndexedDB unavailable). */
  constructor(store: HistoryStore | null) {
    this.#store = store;
  }

  /** Read the saved history (call once at start-up). */
  async restore(): Promise<void> {
    if (!this.#store) return;
    try {
      const saved = await this.#store.load();
      // keep anything added while the store was being read
      const added = this.entries.filter((e) => !saved.some((s) => s.key === e.key));
      this.entries = [...saved, ...added];
      if (added.length > 0) this.#set(this.entries);
    } catch (error) {
      this.storageError = String(error instanceof Error ? error.message : error);
    }
  }

  /** True if `key` is already in the history. */
  has(key: string): boolean {
    return this.entries.some((e) => e.key === key);
  }

  /** Append `key` (no-op if present). */
  add(key: string, now = Date.now()): void {
    if (this.has(key)) return;
    this.#set([...this.entries, { key, addedAt: now }]);
  }

  /** Remove `key` if present. */
  remove(key: string): void {
    this.#set(this.entries.filter((e) => e.key !== key));
  }

  /** Forget everything, in memory and in IndexedDB. */
  clear(): void {
    this.entries = [];
    void this.#persist(() => this.#store?.clear());
  }

  /**
   * Delete everything: forget the history in memory and wait for IndexedDB to drop it; resolves to
   * how many items there were, throws the storage error (named) when the saved copy stays.
   */
  async erase(): Promise<number> {
    const count = this.entries.length;
    this.entries = [];
    await this.#store?.clear();
    this.storageError = undefined;
    return count;
  }

  /** The JSON document the Export button downloads. */
  exportDocument(titleOf: (key: string) => string | undefined): HistoryExport {
    // a one-off timestamp, not reactive state
    // eslint-disable-next-line svelte/prefer-svelte-reactivity
    return toHistoryExport(this.entries, titleOf, new Date());
  }

  #set(entries: HistoryEntry[]): void {
    this.entries = entries;
    void this.#persist(() => this.#store?.save(entries));
  }

  async #persist(write: () => Promise<void> | undefined): Promise<void> {
    this.pendingWrites++;
    try {
      await write();
      this.storageError = undefined;
    } catch (error) {
      this.storageError = `History not saved: ${error instanceof Error ? error.message : String(error)}`;
    } finally {
      this.pendingWrites--;
    }
  }
}
