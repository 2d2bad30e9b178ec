import { describe, expect, it } from 'vitest';
import { DataFormatError } from '../../src/data/errors.ts';
import { randomQ4Gguf } from '../../src/llm/random-model.ts';
import { UnsupportedFileError } from '../../src/store/file-kind.ts';
import { ModelTooLargeError } from '../../src/store/gguf-check.ts';
import { describeLoaded, loadPicked } from '../../src/store/load-picked.ts';
import { GGUF_FILE, readKeptGguf } from '../../src/store/stored-gguf.ts';
import { pickedFromBytes } from '../../src/store/picked-file.ts';
import { TINY_CONFIG } from '../llm/tiny-llama.ts';
import { FakeDisk } from './fake-storage.ts';
import { BACKENDS, fixtureFiles } from './store-fixtures.ts';

const roomy = async () => ({ totalBytes: 1e9 });
const bytesOf = (s: string) => new TextEncoder().encode(s).buffer as ArrayBuffer;

describe('loadPicked', () => {
  it('keeps a SASRec bundle and says so', async () => {
    const store = await BACKENDS.cache(new FakeDisk());
    const files = [...fixtureFiles()].map(([name, bytes]) => pickedFromBytes(name, bytes));
    const pick = await loadPicked(store, files, roomy);
    expect(describeLoaded(pick)).toBe('loaded: SASRec sasrec-tiny, 37 items (kept in this browser)');
  });

  it('checks a GGUF, keeps it under its sha256 and names params and quant', async () => {
    const store = await BACKENDS.indexeddb(new FakeDisk());
    const gguf = randomQ4Gguf({ ...TINY_CONFIG, dim: 32, hiddenDim: 64, vocabSize: 64 }, null, 3);
    const pick = await loadPicked(store, [pickedFromBytes('tiny.gguf', gguf.slice().buffer)], roomy);
    expect(describeLoaded(pick)).toMatch(/^loaded: tiny\.gguf, llama, \d+\.\dK params, Q4_0, 2 layers/);
    const model = (pick as { model: string }).model;
    expect(await store.list()).toEqual([
      { model, file: 'gguf.json' },
      { model, file: GGUF_FILE },
    ]);
    const kept = await readKeptGguf(store, model);
    expect(new Uint8Array(kept!.bytes)).toEqual(gguf);
    expect(kept!.info).toMatchObject({
      name: 'tiny.gguf',
      bytes: gguf.byteLength,
      summary: { quant: 'Q4_0' },
    });
  });

  it('refuses a GGUF over the budget without keeping it', async () => {
    const disk = new FakeDisk();
    const gguf = randomQ4Gguf({ ...TINY_CONFIG, dim: 32, hiddenDim: 64, vocabSize: 64 }, null, 3);
    const tiny = async () => ({ totalBytes: 1000 });
    await expect(
      loadPicked(await BACKENDS.cache(disk), [pickedFromBytes('t.gguf', gguf.slice().buffer)], tiny),
    ).rejects.toThrow(ModelTooLargeError);
    expect(disk.files.size).toBe(0);
  });

  it('summarises an interactions CSV', async () => {
    const csv = 'user,item,rating\nu1,a,5\nu1,b,4\nu2,a,3\n';
    const pick = await loadPicked(
      await BACKENDS.cache(new FakeDisk()),
      [pickedFromBytes('log.csv', bytesOf(csv))],
      roomy,
    );
    expect(pick).toEqual({ kind: 'csv', name: 'log.csv', interactions: 3, users: 2, items: 2 });
  });

  it('names the line of a bad CSV row', async () => {
    const csv = 'user,item,rating\nu1,a,5\nu1,b,lots\n';
    const run = loadPicked(
      await BACKENDS.cache(new FakeDisk()),
      [pickedFromBytes('log.csv', bytesOf(csv))],
      roomy,
    );
    await expect(run).rejects.toThrow(DataFormatError);
    await expect(
      loadPicked(await BACKENDS.cache(new FakeDisk()), [pickedFromBytes('log.csv', bytesOf(csv))], roomy),
    ).rejects.toThrow(/log\.csv, line 3/);
  });

  it('refuses a wrong file type by name', async () => {
    const run = loadPicked(
      await BACKENDS.cache(new FakeDisk()),
      [pickedFromBytes('cat.png', bytesOf('\x89PNG'))],
      roomy,
    );
    await expect(run).rejects.toThrow(UnsupportedFileError);
  });
});
