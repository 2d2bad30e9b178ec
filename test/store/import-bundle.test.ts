import { describe, expect, it } from 'vitest';
import { ModelIntegrityError } from '../../src/sasrec/weights.ts';
import { StorageFullError } from '../../src/store/errors.ts';
import { BundleError, importSasrecBundle } from '../../src/store/import-bundle.ts';
import { FakeDisk } from './fake-storage.ts';
import { BACKENDS, fixtureFiles } from './store-fixtures.ts';

describe('importSasrecBundle', () => {
  it('stores the three files under a content-addressed id, listing items.json in the stored manifest', async () => {
    const store = await BACKENDS.indexeddb(new FakeDisk());
    const bundle = await importSasrecBundle(store, fixtureFiles());
    expect(bundle).toMatchObject({
      name: 'sasrec-tiny',
      itemCount: 37,
      path: `local-models/${bundle.model}/`,
    });
    expect((await store.list()).map((k) => k.file)).toEqual([
      'items.json',
      'manifest.json',
      'weights.safetensors',
    ]);
    const manifest = JSON.parse(
      new TextDecoder().decode(await store.get({ model: bundle.model, file: 'manifest.json' })),
    );
    expect(manifest.files['items.json'].bytes).toBe(fixtureFiles().get('items.json')!.byteLength);
    // the same files give the same id
    expect((await importSasrecBundle(store, fixtureFiles())).model).toBe(bundle.model);
  });

  it('names the missing file', async () => {
    const store = await BACKENDS.cache(new FakeDisk());
    const files = fixtureFiles();
    files.delete('items.json');
    await expect(importSasrecBundle(store, files)).rejects.toThrow(BundleError);
    await expect(importSasrecBundle(store, files)).rejects.toThrow(/no items\.json/);
  });

  it('refuses an items.json of another model, with both counts', async () => {
    const files = fixtureFiles();
    files.set('items.json', new TextEncoder().encode('["a","b"]').buffer as ArrayBuffer);
    await expect(importSasrecBundle(await BACKENDS.cache(new FakeDisk()), files)).rejects.toThrow(
      /must list the 37 item keys .* it has 2 entries/,
    );
  });

  it('refuses weights that do not match the manifest before storing anything', async () => {
    const disk = new FakeDisk();
    const files = fixtureFiles();
    const weights = new Uint8Array(files.get('weights.safetensors')!.slice(0)); // [n]
    weights[weights.length - 1] ^= 1;
    files.set('weights.safetensors', weights.buffer);
    await expect(importSasrecBundle(await BACKENDS.cache(disk), files)).rejects.toThrow(ModelIntegrityError);
    expect(disk.files.size).toBe(0);
  });

  it('keeps nothing when storage runs out halfway', async () => {
    const disk = new FakeDisk(7000); // weights (5768 bytes) fit, then items.json does not
    await expect(importSasrecBundle(await BACKENDS.cache(disk), fixtureFiles())).rejects.toThrow(
      StorageFullError,
    );
    expect(disk.files.size).toBe(0);
  });
});
