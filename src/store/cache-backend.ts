/**
 * Model store backend on the Cache API: one cache `localrec-models`, each key stored under a
 * synthetic URL on this origin's path `/__localrec-store__/<key>` (never fetched: the service
 * worker only answers its precache list, so these entries are reachable only through the store).
 * The cache is opened for each operation, so one deleted by "Delete everything" (src/store/erase.ts)
 * is created again by the next write instead of writing into an orphaned cache; reads, listings and
 * removals never create it.
 */
import type { StorageBackend } from './backend.ts';

/** Name of the Cache API cache holding downloaded and user-loaded model files. */
export const MODEL_CACHE_NAME = 'localrec-models';
const PREFIX = '/__localrec-store__/';

/** The part of `CacheStorage` this backend uses (lets tests pass a fake). */
export type CacheStorageLike = Pick<CacheStorage, 'open' | 'has'>;

/** A Cache API backend; `origin` makes the synthetic URLs absolute (e.g. "http://127.0.0.1:4173"). */
export async function openCacheBackend(caches: CacheStorageLike, origin: string): Promise<StorageBackend> {
  await caches.open(MODEL_CACHE_NAME); // fails here when the browser refuses the Cache API
  const cache = () => caches.open(MODEL_CACHE_NAME);
  /** the cache when it exists (undefined after Delete everything, until the next write) */
  const existing = async () => ((await caches.has(MODEL_CACHE_NAME)) ? cache() : undefined);
  const urlOf = (key: string) => `${origin}${PREFIX}${encodeURIComponent(key)}`;
  return {
    kind: 'cache',
    async read(key) {
      const response = await (await existing())?.match(urlOf(key));
      return response ? response.arrayBuffer() : undefined;
    },
    async write(key, bytes) {
      const headers = {
        'content-type': 'application/octet-stream',
        'content-length': String(bytes.byteLength),
      };
      await (await cache()).put(urlOf(key), new Response(bytes, { headers }));
    },
    async remove(key) {
      await (await existing())?.delete(urlOf(key));
    },
    async keys() {
      const requests = (await (await existing())?.keys()) ?? [];
      return requests
        .map((request) => new URL(request.url).pathname)
        .filter((path) => path.startsWith(PREFIX))
        .map((path) => decodeURIComponent(path.slice(PREFIX.length)));
    },
  };
}
