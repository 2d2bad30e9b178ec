/// <reference lib="webworker" />
/**
 * LocalRec's service worker (built to dist/sw.js by src/build/precache.ts, which replaces
 * `__LOCALREC_PRECACHE__` with the build's manifest).
 *  - install: fetch every precached file (app shell, page models, their catalogs) into the cache
 *    of this build's version, bypassing the HTTP cache; a failed file fails the install.
 *  - activate: delete the caches of older versions, take control of open pages at once.
 *  - fetch: precached GET requests are answered cache-first; the manifest's `lazy` files (only some
 *    visits need them) are fetched on first use and kept in the same cache; every other request
 *    goes to the network untouched.
 */
import {
  cacheNameFor,
  lazyUrls,
  precacheKeyFor,
  precacheUrls,
  staleCacheNames,
  type PrecacheManifest,
} from './precache-manifest.ts';

declare const self: ServiceWorkerGlobalScope;
/** Replaced at build time with the JSON of a PrecacheManifest. */
declare const __LOCALREC_PRECACHE__: PrecacheManifest;

const manifest: PrecacheManifest = __LOCALREC_PRECACHE__;
const scope = self.registration.scope;
const cacheName = cacheNameFor(manifest.version);
const urls = precacheUrls(manifest, scope); // [n]
const cached = new Set(urls);
const lazy = new Set(lazyUrls(manifest, scope)); // [m]

async function precache(): Promise<void> {
  const cache = await caches.open(cacheName);
  await cache.addAll(urls.map((url) => new Request(url, { cache: 'reload' })));
  await self.skipWaiting();
}

async function dropStaleCaches(): Promise<void> {
  const stale = staleCacheNames(await caches.keys(), manifest.version);
  await Promise.all(stale.map((name) => caches.delete(name)));
  await self.clients.claim();
}

/**
 * From the cache when it holds `key`, else from the network; `keep` (a lazy file, fetched on first use)
 * puts a good network answer into the cache for the next, possibly offline, use.
 */
async function cacheFirst(request: Request, key: string, keep = false): Promise<Response> {
  const cache = await caches.open(cacheName);
  const hit = await cache.match(key);
  if (hit) return hit;
  const response = await fetch(request);
  if (keep && response.ok) await cache.put(key, response.clone());
  return response;
}

self.addEventListener('install', (event) => event.waitUntil(precache()));
self.addEventListener('activate', (event) => event.waitUntil(dropStaleCaches()));
self.addEventListener('fetch', (event) => {
  if (event.request.method !== 'GET') return;
  const key = precacheKeyFor(event.request.url, scope, cached);
  if (key !== undefined) return event.respondWith(cacheFirst(event.request, key));
  const lazyKey = precacheKeyFor(event.request.url, scope, lazy);
  if (lazyKey !== undefined) event.respondWith(cacheFirst(event.request, lazyKey, true));
});
