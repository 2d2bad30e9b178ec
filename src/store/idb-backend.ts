/**
 * Model store backend on IndexedDB (used when the Cache API is missing or throws): database
 * `localrec-models`, one object store `files`, ArrayBuffer values under string keys. Separate from
 * the history's database so neither one's schema version moves the other.
 */
import type { StorageBackend } from './backend.ts';

/** Name of the IndexedDB database of the model store. */
export const MODEL_DB_NAME = 'localrec-models';
const FILES = 'files';

function settle<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
  });
}

/** Resolves when the transaction commits (a quota error surfaces here, as the transaction's error). */
function committed(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
  });
}

/**
 * An IndexedDB backend on `factory` (the browser's `indexedDB`, or a fake in tests), in database
 * `name` (default: the model store's; src/store/settings.ts keeps the page's settings in another).
 */
export async function openIdbBackend(factory: IDBFactory, name = MODEL_DB_NAME): Promise<StorageBackend> {
  const open = async (): Promise<IDBDatabase> => {
    const request = factory.open(name, 1);
    request.onupgradeneeded = () => {
      if (!request.result.objectStoreNames.contains(FILES)) request.result.createObjectStore(FILES);
    };
    const opened = await settle(request);
    // "Delete everything" (src/store/erase.ts) deletes the database: let it go, re-open on next use
    opened.onversionchange = () => {
      opened.close();
      db = undefined;
    };
    return opened;
  };
  let db: Promise<IDBDatabase> | undefined = open();
  await db;
  const database = () => (db ??= open());
  const change = async (use: (store: IDBObjectStore) => void): Promise<void> => {
    const tx = (await database()).transaction(FILES, 'readwrite');
    use(tx.objectStore(FILES));
    await committed(tx);
  };
  const query = async <T>(use: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> =>
    settle(use((await database()).transaction(FILES, 'readonly').objectStore(FILES)));
  return {
    kind: 'indexeddb',
    async read(key) {
      const value: unknown = await query((s) => s.get(key));
      return value instanceof ArrayBuffer ? value : undefined;
    },
    write: (key, bytes) => change((s) => s.put(bytes, key)),
    remove: (key) => change((s) => s.delete(key)),
    async keys() {
      const keys = await query((s) => s.getAllKeys());
      return keys.filter((k): k is string => typeof k === 'string');
    },
  };
}
