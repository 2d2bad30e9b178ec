/**
 * Model store backend on the Cache API: one cache `localrec-models`, each key stored under a
 * synthetic URL on this origin's path `/__localrec-store__/<key>` (never fetched: the service
 * worker only answers its precache list, so these entries are reachable only through the store).
 */
import type { StorageBackend } from './backend.ts';

/** Name of the Cache API cache holding downloaded and user-loaded model files. */
export const MODEL_CACHE_NAME = 'localrec-models';
const PREFIX = '/__localrec-store__/';

/** The part of `CacheStorage` this backend uses (lets tests pass a fake). */
export type CacheStorageLike = Pick<CacheStorage, 'open'>;

/** A Cache API backend; `origin` makes the synthetic URLs absolute (e.g. "http://127.0.0.1:4173"). */
export async function openCacheBackend(caches: CacheStorageLike, origin: string): Promise<StorageBackend> {
  const cache = await caches.open(MODEL_CACHE_NAME);
  const urlOf = (key: string) => `${origin}${PREFIX}${encodeURIComponent(key)}`;
  return {
    kind: 'cache',
    async read(key) {
      const response = await cache.match(urlOf(key));
      return response ? response.arrayBuffer() : undefined;
    },
    async write(key, bytes) {
      const headers = {
        'content-type': 'application/octet-stream',
        'content-length': String(bytes.byteLength),
      };
      await cache.put(urlOf(key), new Response(bytes, { headers }));
    },
    async remove(key) {
      await cache.delete(urlOf(key));
    },
    async keys() {
      const requests = await cache.keys();
      return requests
        .map((request) => new URL(request.url).pathname)
        .filter((path) => path.startsWith(PREFIX))
        .map((path) => decodeURIComponent(path.slice(PREFIX.length)));
    },
  };
}
