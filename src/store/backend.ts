/**
 * The raw storage under the model store: bytes by string key, no checking. Two implementations:
 * the Cache API (cache-backend.ts) and IndexedDB (idb-backend.ts); the store (model-store.ts)
 * adds temp-key writes, sha256 checks and quota handling on top.
 */

/** Bytes by key. Each write replaces the whole value at once (both browser APIs guarantee that). */
export interface StorageBackend {
  /** 'cache' (Cache API) or 'indexeddb' (fallback) */
  readonly kind: 'cache' | 'indexeddb';
  read(key: string): Promise<ArrayBuffer | undefined>;
  /** may throw the browser's QuotaExceededError (a DOMException) */
  write(key: string, bytes: ArrayBuffer): Promise<void>;
  remove(key: string): Promise<void>;
  keys(): Promise<string[]>;
}

/** True for the browsers' "no space left" errors (DOMException name or legacy code 22). */
export function isQuotaError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { name, code } = error as { name?: unknown; code?: unknown };
  return name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED' || code === 22;
}
