import { describe, expect, it } from 'vitest';
import { ModelIntegrityError } from '../../src/sasrec/weights.ts';
import { StorageFullError, storageFullError } from '../../src/store/errors.ts';
import type { GgufSummary } from '../../src/store/gguf-check.ts';
import { keepGguf, readKeptGguf } from '../../src/store/stored-gguf.ts';
import { FakeDisk } from './fake-storage.ts';
import { BACKENDS, sampleFile } from './store-fixtures.ts';

const summary: GgufSummary = {
  arch: 'llama',
  params: 10,
  quant: 'Q4_0',
  layers: 1,
  weightBytes: 6,
  largestTensorBytes: 6,
};

describe('kept GGUF files', () => {
  it('reads back checked bytes under gguf-<16 hex of the sha256>', async () => {
    const store = await BACKENDS.cache(new FakeDisk());
    const file = sampleFile(3000);
    const model = await keepGguf(store, file.bytes, 'm.gguf', summary);
    expect(model).toBe(`gguf-${file.digest.sha256.slice(0, 16)}`);
    const kept = await readKeptGguf(store, model);
    expect(new Uint8Array(kept!.bytes)).toEqual(new Uint8Array(file.bytes));
    expect(await readKeptGguf(store, 'gguf-0000000000000000')).toBeUndefined();
  });

  it('refuses damaged model bytes and a damaged record, deleting them', async () => {
    const disk = new FakeDisk();
    const store = await BACKENDS.indexeddb(disk);
    const model = await keepGguf(store, sampleFile(3000).bytes, 'm.gguf', summary);
    disk.damage('model.gguf', (b) => ((b[10] ^= 1), b));
    await expect(readKeptGguf(store, model)).rejects.toThrow(ModelIntegrityError);
    const again = await keepGguf(store, sampleFile(3000).bytes, 'm.gguf', summary);
    disk.damage('gguf.json', (b) => b.subarray(0, 20));
    await expect(readKeptGguf(store, again)).rejects.toThrow(/record of gguf-.* is damaged/);
    expect(disk.files.size).toBe(0);
  });

  it('keeps nothing when the record cannot be written after the model', async () => {
    const disk = new FakeDisk();
    const store = await BACKENDS.cache(disk);
    const failingRecord = {
      ...store,
      put: async (...args: Parameters<typeof store.put>) => {
        if (args[0].file === 'gguf.json') throw storageFullError('gguf.json', 200, 0);
        return store.put(...args);
      },
    };
    await expect(keepGguf(failingRecord, sampleFile(1500).bytes, 'm.gguf', summary)).rejects.toThrow(
      StorageFullError,
    );
    expect(disk.files.size).toBe(0);
  });
});
