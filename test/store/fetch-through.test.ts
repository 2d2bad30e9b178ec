import { describe, expect, it } from 'vitest';
import { ModelIntegrityError } from '../../src/sasrec/weights.ts';
import { readThroughStore } from '../../src/store/fetch-through.ts';
import { FakeDisk } from './fake-storage.ts';
import { BACKENDS, sampleFile } from './store-fixtures.ts';

const key = { model: 'demo', file: 'weights.safetensors' };
const url = 'http://127.0.0.1:4173/models/demo/weights.safetensors';

/** A fetch that answers `body` and counts its calls. */
function countingFetch(body: () => ArrayBuffer): { fetch: typeof fetch; calls: () => number } {
  let calls = 0;
  return {
    fetch: async () => {
      calls++;
      return new Response(body());
    },
    calls: () => calls,
  };
}

function corruptOnDisk(disk: FakeDisk): void {
  disk.damage(key.file, (b) => ((b[0] ^= 0xff), b));
}

describe('readThroughStore', () => {
  const file = sampleFile(2048);

  it('downloads once, then serves the stored copy', async () => {
    const store = await BACKENDS.cache(new FakeDisk());
    const server = countingFetch(() => file.bytes);
    const first = await readThroughStore(store, key, file.digest, { url, fetch: server.fetch });
    const second = await readThroughStore(store, key, file.digest, { url, fetch: server.fetch });
    expect([first.outcome, second.outcome]).toEqual(['downloaded', 'stored']);
    expect(new Uint8Array(second.bytes)).toEqual(new Uint8Array(file.bytes));
    expect(server.calls()).toBe(1);
  });

  it('re-fetches a corrupt stored file once from its URL and keeps the good copy', async () => {
    const disk = new FakeDisk();
    const store = await BACKENDS.indexeddb(disk);
    const server = countingFetch(() => file.bytes);
    await readThroughStore(store, key, file.digest, { url, fetch: server.fetch });
    corruptOnDisk(disk);
    const again = await readThroughStore(store, key, file.digest, { url, fetch: server.fetch });
    expect(again.outcome).toBe('replaced-corrupt');
    expect(new Uint8Array(again.bytes)).toEqual(new Uint8Array(file.bytes));
    expect(server.calls()).toBe(2);
    expect((await readThroughStore(store, key, file.digest, { url, fetch: server.fetch })).outcome).toBe(
      'stored',
    );
  });

  it('fails with ModelIntegrityError when the re-fetched file is corrupt too, keeping nothing', async () => {
    const disk = new FakeDisk();
    const store = await BACKENDS.cache(disk);
    await store.put(key, file.bytes, file.digest);
    corruptOnDisk(disk);
    const server = countingFetch(() => file.bytes.slice(0, 1000)); // the server sends a truncated file
    const error = await readThroughStore(store, key, file.digest, { url, fetch: server.fetch }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ModelIntegrityError);
    expect((error as Error).message).toMatch(
      /downloaded from .* does not match .*stored copy was corrupt too/,
    );
    expect(server.calls()).toBe(1);
    expect(disk.files.size).toBe(0);
  });
});
