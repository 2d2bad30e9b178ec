/**
 * Shared pieces of the model-store tests: a deterministic file with its manifest digest (sha256
 * computed by node:crypto, independently of the store's crypto.subtle), and stores on each fake backend.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createModelStore, type FileDigest, type ModelStore } from '../../src/store/model-store.ts';
import { openCacheBackend } from '../../src/store/cache-backend.ts';
import { openIdbBackend } from '../../src/store/idb-backend.ts';
import { fixtureDir, itemKeys } from '../protocol/sasrec-fixture.ts';
import { FakeDisk, fakeCacheStorage, fakeIndexedDB } from './fake-storage.ts';

/** The origin the Cache backend's synthetic keys live under. */
export const ORIGIN = 'http://127.0.0.1:4173';

/** `n` bytes of a fixed pattern and their manifest entry. */
export function sampleFile(n: number, seed = 7): { bytes: ArrayBuffer; digest: FileDigest } {
  const bytes = new Uint8Array(n); // [n]
  for (let i = 0; i < n; i++) bytes[i] = (i * 31 + seed) & 0xff;
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  return { bytes: bytes.buffer, digest: { sha256, bytes: n } };
}

/** Both backends, each on its own fake disk. */
export const BACKENDS = {
  cache: async (disk: FakeDisk): Promise<ModelStore> =>
    createModelStore(await openCacheBackend(fakeCacheStorage(disk), ORIGIN), disk.estimate),
  indexeddb: async (disk: FakeDisk): Promise<ModelStore> =>
    createModelStore(await openIdbBackend(fakeIndexedDB(disk)), disk.estimate),
} as const;

/** The tiny SASRec fixture as picked files (with an items.json its manifest does not list). */
export function fixtureFiles(): Map<string, ArrayBuffer> {
  const read = (name: string) => new Uint8Array(readFileSync(fixtureDir + name)).buffer;
  return new Map([
    ['manifest.json', read('manifest.json')],
    ['weights.safetensors', read('weights.safetensors')],
    ['items.json', new TextEncoder().encode(JSON.stringify(itemKeys)).buffer as ArrayBuffer],
  ]);
}
