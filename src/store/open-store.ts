/**
 * Opens the model store with the best storage this context has: the Cache API, or IndexedDB when
 * `caches` is missing (e.g. an insecure context) or throws (e.g. some private modes).
 */
import { openCacheBackend, type CacheStorageLike } from './cache-backend.ts';
import { ModelStoreUnavailableError } from './errors.ts';
import { openIdbBackend } from './idb-backend.ts';
import { createModelStore, type ModelStore, type StorageEstimateInfo } from './model-store.ts';

/** The storage APIs the store may use (a window or worker global, or fakes in tests). */
export interface StoreEnvironment {
  caches?: CacheStorageLike;
  indexedDB?: IDBFactory;
  /** navigator.storage.estimate, bound */
  estimate?: () => Promise<StorageEstimateInfo>;
  /** this origin, e.g. "http://127.0.0.1:4173" (the Cache API's synthetic keys live under it) */
  origin: string;
}

/** The storage APIs of the current window or worker. */
export function browserStoreEnvironment(): StoreEnvironment {
  const storage = typeof navigator === 'undefined' ? undefined : navigator.storage;
  return {
    ...(typeof caches === 'undefined' ? {} : { caches }),
    ...(typeof indexedDB === 'undefined' ? {} : { indexedDB }),
    ...(storage?.estimate ? { estimate: () => storage.estimate() } : {}),
    origin: location.origin,
  };
}

/** A ModelStore on the Cache API, else on IndexedDB; ModelStoreUnavailableError when neither opens. */
export async function openModelStore(env: StoreEnvironment = browserStoreEnvironment()): Promise<ModelStore> {
  const reasons: string[] = [];
  if (env.caches) {
    try {
      return createModelStore(await openCacheBackend(env.caches, env.origin), env.estimate);
    } catch (error) {
      reasons.push(`Cache API: ${String(error)}`);
    }
  } else reasons.push('Cache API: not available');
  if (env.indexedDB) {
    try {
      return createModelStore(await openIdbBackend(env.indexedDB), env.estimate);
    } catch (error) {
      reasons.push(`IndexedDB: ${String(error)}`);
    }
  } else reasons.push('IndexedDB: not available');
  throw new ModelStoreUnavailableError(
    `This browser lets LocalRec keep no model files (${reasons.join('; ')}). ` +
      'Models are downloaded on every visit; allow site storage (leave private mode) to keep them.',
  );
}
