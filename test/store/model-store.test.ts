import { describe, expect, it } from 'vitest';
import { ModelIntegrityError } from '../../src/sasrec/weights.ts';
import type { StorageBackend } from '../../src/store/backend.ts';
import { StorageFullError } from '../../src/store/errors.ts';
import { createModelStore } from '../../src/store/model-store.ts';
import { FakeDisk } from './fake-storage.ts';
import { BACKENDS, sampleFile } from './store-fixtures.ts';
import { InvalidRequestError } from '../../src/protocol/errors.ts';

const key = { model: 'demo-sasrec', file: 'weights.safetensors' };

describe.each(Object.entries(BACKENDS))('ModelStore on the %s backend', (_name, open) => {
  it('keeps a file that matches its digest and lists it', async () => {
    const disk = new FakeDisk();
    const store = await open(disk);
    const { bytes, digest } = sampleFile(1000);
    await store.put(key, bytes, digest);
    const back = await store.get(key, digest);
    expect(new Uint8Array(back!)).toEqual(new Uint8Array(bytes));
    expect(await store.has(key)).toBe(true);
    expect(await store.list()).toEqual([key]);
    expect(disk.files.size).toBe(1); // no temp key left behind
  });

  it('answers undefined for a file it does not hold', async () => {
    const store = await open(new FakeDisk());
    expect(await store.get(key, sampleFile(4).digest)).toBeUndefined();
    expect(await store.has(key)).toBe(false);
  });

  it('refuses bytes that do not match the manifest and keeps nothing', async () => {
    const disk = new FakeDisk();
    const store = await open(disk);
    const { digest } = sampleFile(1000);
    await expect(store.put(key, sampleFile(1000, 8).bytes, digest)).rejects.toThrow(ModelIntegrityError);
    await expect(store.put(key, sampleFile(999).bytes, digest)).rejects.toThrow(
      /999 bytes but the manifest says 1000/,
    );
    expect(disk.files.size).toBe(0);
  });

  it('turns a quota error into StorageFullError with the sizes, keeping nothing', async () => {
    const disk = new FakeDisk(3 * 1_048_576); // 3 MB
    const store = await open(disk);
    const big = sampleFile(4 * 1_048_576);
    const error = await store.put(key, big.bytes, big.digest).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageFullError);
    expect((error as Error).message).toMatch(/needs 4\.0 MB, and the browser allows 3\.0 MB more/);
    expect((error as Error).message).toMatch(/delete a downloaded model/);
    expect(disk.files.size).toBe(0);
  });

  it('removes the temp copy when the commit itself runs out of space', async () => {
    // room for the temp copy (2 MB) but not for the committed copy beside it
    const disk = new FakeDisk(3 * 1_048_576);
    const store = await open(disk);
    const file = sampleFile(2 * 1_048_576);
    await expect(store.put(key, file.bytes, file.digest)).rejects.toThrow(StorageFullError);
    expect(disk.files.size).toBe(0);
    expect(await store.list()).toEqual([]);
  });

  it('detects a corrupt stored file, deletes it and never returns it', async () => {
    const disk = new FakeDisk();
    const store = await open(disk);
    const { bytes, digest } = sampleFile(500);
    await store.put(key, bytes, digest);
    disk.damage(key.file, (b) => ((b[123] ^= 0x01), b));
    await expect(store.get(key, digest)).rejects.toThrow(/SHA-256 .* but the manifest says/);
    expect(disk.files.size).toBe(0);
  });

  it('detects a truncated stored file and deletes it', async () => {
    const disk = new FakeDisk();
    const store = await open(disk);
    const { bytes, digest } = sampleFile(500);
    await store.put(key, bytes, digest);
    disk.damage(key.file, (b) => b.subarray(0, 300));
    await expect(store.get(key, digest)).rejects.toThrow(/300 bytes but the manifest says 500/);
    expect(await store.has(key)).toBe(false);
  });

  it('deletes one model without touching another', async () => {
    const disk = new FakeDisk();
    const store = await open(disk);
    const { bytes, digest } = sampleFile(10);
    await store.put(key, bytes, digest);
    await store.put({ model: 'demo-sasrec', file: 'items.json' }, bytes, digest);
    await store.put({ model: 'other', file: 'items.json' }, bytes, digest);
    await store.delete('demo-sasrec');
    expect(await store.list()).toEqual([{ model: 'other', file: 'items.json' }]);
    await store.delete('other', 'items.json');
    expect(await store.list()).toEqual([]);
  });

  it('reports the storage estimate', async () => {
    const disk = new FakeDisk(10_000);
    const store = await open(disk);
    const { bytes, digest } = sampleFile(1234);
    await store.put(key, bytes, digest);
    expect(await store.estimate()).toEqual({ usage: 1234, quota: 10_000 });
  });

  it('refuses names that would leave their model', async () => {
    const store = await open(new FakeDisk());
    const { bytes, digest } = sampleFile(4);
    await expect(store.put({ model: '..', file: 'x' }, bytes, digest)).rejects.toThrow(InvalidRequestError);
    await expect(store.put({ model: 'a', file: 'b/c' }, bytes, digest)).rejects.toThrow(/not allowed/);
  });
});

describe('ModelStore with two writers of one file (two frames of one origin)', () => {
  it("keeps the file: neither writer's cleanup deletes the temp copy the other reads back", async () => {
    // one storage for both stores; the second read back of a temp copy is slow, so the first writer
    // finishes (and removes its temp copy) before the second one reads its own back
    const files = new Map<string, ArrayBuffer>();
    let reads = 0;
    const ticks = (n: number) => new Promise<void>((r) => setTimeout(r, n));
    const backend: StorageBackend = {
      kind: 'cache',
      read: async (k) => {
        const slow = k.endsWith('.partial') && ++reads === 2;
        await ticks(slow ? 50 : 0);
        return files.get(k);
      },
      write: async (k, bytes) => void files.set(k, bytes.slice(0)),
      remove: async (k) => void files.delete(k),
      keys: async () => [...files.keys()],
    };
    const { bytes, digest } = sampleFile(1000);
    const [first, second] = [createModelStore(backend), createModelStore(backend)];
    await Promise.all([first.put(key, bytes, digest), second.put(key, bytes, digest)]);
    expect(new Uint8Array((await first.get(key, digest))!)).toEqual(new Uint8Array(bytes));
    expect([...files.keys()]).toHaveLength(1); // no temp key left behind
  });
});
