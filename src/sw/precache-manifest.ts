/**
 * The precache manifest shared by the build plugin (src/build/precache.ts, which writes it into
 * sw.js) and the service worker (src/sw/sw.ts, which reads it): which files to cache and under
 * which cache name. Pure functions only, so Node tests can check them.
 */

/** What the build bakes into sw.js. */
export interface PrecacheManifest {
  /** content hash of every precached file (names + bytes); changes whenever any file changes */
  version: string;
  /** paths relative to the service worker's scope, e.g. "assets/index-abc.js" (the scope root is served from "index.html") */
  files: string[]; // [n]
  /**
   * paths cached on first use instead of at install: large files only some visits need (the
   * language model's English word list, src/rec/explain-readable.ts); same origin, same cache
   */
  lazy: string[]; // [m]
}

/** Every cache this app creates starts with this prefix (other caches on the origin are left alone). */
export const CACHE_PREFIX = 'localrec-precache-';

/** The Cache Storage name of one build. */
export function cacheNameFor(version: string): string {
  return `${CACHE_PREFIX}${version}`;
}

/** Names among `existing` that belong to this app but not to the current `version` (to delete on activate). */
export function staleCacheNames(existing: readonly string[], version: string): string[] {
  const current = cacheNameFor(version);
  return existing.filter((name) => name.startsWith(CACHE_PREFIX) && name !== current);
}

/** Absolute URLs of the manifest's files under `scope` (the registration scope, ending with '/'). */
export function precacheUrls(manifest: PrecacheManifest, scope: string): string[] {
  return manifest.files.map((file) => new URL(file, scope).href);
}

/** Absolute URLs of the manifest's files cached on first use, under `scope`. */
export function lazyUrls(manifest: PrecacheManifest, scope: string): string[] {
  return manifest.lazy.map((file) => new URL(file, scope).href);
}

/**
 * The cache key a request URL is served from, or undefined when the request is not precached
 * (then it goes to the network untouched). Query and fragment are ignored (`/?backend=cpu` is the
 * page); the scope root and `index.html` are the same page.
 */
export function precacheKeyFor(url: string, scope: string, cached: ReadonlySet<string>): string | undefined {
  const parsed = new URL(url);
  parsed.search = '';
  parsed.hash = '';
  const bare = parsed.href;
  if (cached.has(bare)) return bare;
  const index = new URL('index.html', scope).href;
  if (bare === scope && cached.has(index)) return index;
  return undefined;
}
