/**
 * IndexedDB persistence of the history: one database `localrec`, one object store `history`, one
 * record (`current`) holding the entry list. Nothing leaves the browser.
 */
import { LocalRecError } from '../protocol/errors.ts';
import { parseHistoryEntries, type HistoryEntry } from './history-codec.ts';

/** Name of the IndexedDB database of the history. */
export const HISTORY_DB_NAME = 'localrec';
const STORE = 'history';
const RECORD = 'current';

/** IndexedDB is missing or refused to open (private mode, blocked storage). */
export class HistoryStorageError extends LocalRecError {
  override name = 'HistoryStorageError';
}

/** Load / save / clear the persisted history. */
export interface HistoryStore {
  load(): Promise<HistoryEntry[]>;
  save(entries: readonly HistoryEntry[]): Promise<void>;
  clear(): Promise<void>;
}

function promisify<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new HistoryStorageError('IndexedDB request failed.'));
  });
}

function openDatabase(factory: IDBFactory): Promise<IDBDatabase> {
  const request = factory.open(HISTORY_DB_NAME, 1);
  request.onupgradeneeded = () => request.result.createObjectStore(STORE);
  return promisify(request).catch((error: unknown) => {
    throw new HistoryStorageError(
      `Could not open IndexedDB "${HISTORY_DB_NAME}" (${String(error)}); history will not be kept across reloads.`,
    );
  });
}

async function withStore<T>(
  db: Promise<IDBDatabase>,
  mode: IDBTransactionMode,
  use: (store: IDBObjectStore) => IDBRequest<T>,
): Promise<T> {
  const store = (await db).transaction(STORE, mode).objectStore(STORE);
  return promisify(use(store));
}

/** A `HistoryStore` on `factory` (default: the browser's `indexedDB`). Opens the database lazily. */
export function openHistoryStore(factory: IDBFactory | undefined = globalThis.indexedDB): HistoryStore {
  if (!factory) {
    throw new HistoryStorageError('IndexedDB is not available in this browser; history cannot be saved.');
  }
  let db: Promise<IDBDatabase> | undefined;
  const database = () =>
    (db ??= openDatabase(factory).then((opened) => {
      // "Delete everything" deletes the database: let it go, and open a new one on the next write
      opened.onversionchange = () => {
        opened.close();
        db = undefined;
      };
      return opened;
    }));
  return {
    async load() {
      const value: unknown = await withStore(database(), 'readonly', (s) => s.get(RECORD));
      return value === undefined ? [] : parseHistoryEntries(value);
    },
    async save(entries) {
      const plain = entries.map(({ key, addedAt }) => ({ key, addedAt }));
      await withStore(database(), 'readwrite', (s) => s.put(plain, RECORD));
    },
    async clear() {
      await withStore(database(), 'readwrite', (s) => s.delete(RECORD));
    },
  };
}
