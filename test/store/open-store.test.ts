import { describe, expect, it } from 'vitest';
import { ModelStoreUnavailableError } from '../../src/store/errors.ts';
import { openModelStore } from '../../src/store/open-store.ts';
import { FakeDisk, fakeCacheStorage, fakeIndexedDB } from './fake-storage.ts';
import { ORIGIN, sampleFile } from './store-fixtures.ts';

describe('openModelStore', () => {
  it('uses the Cache API when it opens', async () => {
    const disk = new FakeDisk();
    const store = await openModelStore({
      caches: fakeCacheStorage(disk),
      indexedDB: fakeIndexedDB(disk),
      origin: ORIGIN,
    });
    expect(store.kind).toBe('cache');
    const { bytes, digest } = sampleFile(8);
    await store.put({ model: 'm', file: 'f' }, bytes, digest);
    expect([...disk.files.keys()]).toEqual([`${ORIGIN}/__localrec-store__/m%2Ff`]);
  });

  it('falls back to IndexedDB when caches is missing', async () => {
    const store = await openModelStore({ indexedDB: fakeIndexedDB(new FakeDisk()), origin: ORIGIN });
    expect(store.kind).toBe('indexeddb');
  });

  it('falls back to IndexedDB when caches.open throws', async () => {
    const refusing = {
      open: () => Promise.reject(new DOMException('storage disabled', 'SecurityError')),
      has: async () => false,
    };
    const store = await openModelStore({
      caches: refusing,
      indexedDB: fakeIndexedDB(new FakeDisk()),
      origin: ORIGIN,
    });
    expect(store.kind).toBe('indexeddb');
  });

  it('names both reasons when neither API is there', async () => {
    const error = await openModelStore({ origin: ORIGIN }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelStoreUnavailableError);
    expect((error as Error).message).toMatch(/Cache API: not available; IndexedDB: not available/);
  });
});
