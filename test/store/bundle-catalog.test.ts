import { describe, expect, it } from 'vitest';
import { packCatalog } from '../../src/data/catalog-binary.ts';
import { ModelLoadError } from '../../src/protocol/errors.ts';
import { ModelIntegrityError } from '../../src/sasrec/weights.ts';
import { readBundleCatalog } from '../../src/store/bundle-catalog.ts';
import { BUNDLE_CATALOG, importSasrecBundle } from '../../src/store/import-bundle.ts';
import { itemKeys } from '../protocol/sasrec-fixture.ts';
import { FakeDisk } from './fake-storage.ts';
import { BACKENDS, fixtureFiles } from './store-fixtures.ts';

/** A catalog of the fixture's 37 items: "Title k" for key k, popularity 100 - id. */
function fixtureCatalog(): ArrayBuffer {
  const items = itemKeys.map((key, i) => ({ id: i + 1, key, title: `Title ${key}`, genres: [], tags: [] }));
  const popularity = Int32Array.from({ length: items.length + 1 }, (_, id) => (id === 0 ? 0 : 100 - id));
  return packCatalog({ name: 'fixture', items, popularity }).slice().buffer;
}

describe('a bundle with its own catalog.bin', () => {
  it('is kept, listed in the stored manifest and read back checked', async () => {
    const store = await BACKENDS.cache(new FakeDisk());
    const files = fixtureFiles();
    files.set(BUNDLE_CATALOG, fixtureCatalog());
    const bundle = await importSasrecBundle(store, files);
    expect(bundle.hasCatalog).toBe(true);
    const catalog = await readBundleCatalog(store, bundle.model);
    expect(catalog.items).toHaveLength(37);
    expect(catalog.items[4]).toMatchObject({ id: 5, key: 'key5', title: 'Title key5' });
    expect(catalog.popularity[5]).toBe(95);
  });

  it('a bundle without one, or a deleted model, is a ModelLoadError naming the file', async () => {
    const store = await BACKENDS.indexeddb(new FakeDisk());
    const bundle = await importSasrecBundle(store, fixtureFiles());
    expect(bundle.hasCatalog).toBe(false);
    await expect(readBundleCatalog(store, bundle.model)).rejects.toThrow(ModelLoadError);
    await expect(readBundleCatalog(store, bundle.model)).rejects.toThrow(/catalog\.bin of local-/);
    await store.delete(bundle.model);
    await expect(readBundleCatalog(store, bundle.model)).rejects.toThrow(/manifest\.json of local-/);
  });

  it('a damaged stored catalog is refused with ModelIntegrityError and deleted', async () => {
    const disk = new FakeDisk();
    const store = await BACKENDS.cache(disk);
    const files = fixtureFiles();
    files.set(BUNDLE_CATALOG, fixtureCatalog());
    const bundle = await importSasrecBundle(store, files);
    disk.damage(BUNDLE_CATALOG, (bytes) => ((bytes[40] ^= 1), bytes));
    await expect(readBundleCatalog(store, bundle.model)).rejects.toThrow(ModelIntegrityError);
    expect(await store.has({ model: bundle.model, file: BUNDLE_CATALOG })).toBe(false);
  });

  it('refuses a catalog.bin that is not one (CatalogFormatError) and keeps nothing', async () => {
    const store = await BACKENDS.cache(new FakeDisk());
    const files = fixtureFiles();
    files.set(
      BUNDLE_CATALOG,
      new TextEncoder().encode('not a catalog at all, no magic').buffer as ArrayBuffer,
    );
    await expect(importSasrecBundle(store, files)).rejects.toThrow(/CatalogFormatError|catalog/i);
    expect(await store.list()).toEqual([]);
  });
});
