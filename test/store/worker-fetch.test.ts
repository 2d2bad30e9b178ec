import { describe, expect, it } from 'vitest';
import { createSasrecHandlers } from '../../src/protocol/sasrec-handler.ts';
import { ModelIntegrityError } from '../../src/sasrec/weights.ts';
import { importSasrecBundle } from '../../src/store/import-bundle.ts';
import { storeBackedFetch } from '../../src/store/worker-fetch.ts';
import { ORIGIN, ctx, env, fixtureFetch, goldens, itemKeys } from '../protocol/sasrec-fixture.ts';
import { FakeDisk } from './fake-storage.ts';
import { BACKENDS, fixtureFiles } from './store-fixtures.ts';

const served = `${ORIGIN}/models/tiny/`;

/** Handlers whose fetch goes through a store on `disk`; `requested` collects what reached the network. */
async function handlersOn(disk: FakeDisk, requested: string[], network = fixtureFetch(requested)) {
  const store = await BACKENDS.cache(disk);
  return { store, h: createSasrecHandlers(env({ fetch: storeBackedFetch(async () => store, network) })) };
}

async function ranksLikeGoldens(h: ReturnType<typeof createSasrecHandlers>): Promise<void> {
  const c = goldens.cases[0];
  expect((await h['sasrec.rank']({ history: c.history, k: goldens.k }, ctx())).ids).toEqual(c.ids);
}

describe('the worker fetch through the model store', () => {
  it('downloads a served model once; the next load reads the weights from the store', async () => {
    const disk = new FakeDisk();
    const requested: string[] = [];
    const { h } = await handlersOn(disk, requested);
    await h['sasrec.load']({ modelUrl: served, backend: 'cpu' }, ctx());
    expect(requested.filter((u) => u.endsWith('weights.safetensors'))).toHaveLength(1);
    await h['sasrec.load']({ modelUrl: served, backend: 'cpu' }, ctx());
    expect(requested.filter((u) => u.endsWith('weights.safetensors'))).toHaveLength(1);
    await ranksLikeGoldens(h);
  });

  it('re-fetches stored weights that were corrupted, and still ranks like the goldens', async () => {
    const disk = new FakeDisk();
    const requested: string[] = [];
    const { h } = await handlersOn(disk, requested);
    await h['sasrec.load']({ modelUrl: served, backend: 'cpu' }, ctx());
    disk.damage('weights.safetensors', (b) => b.subarray(0, 100)); // truncated on disk
    await h['sasrec.load']({ modelUrl: served, backend: 'cpu' }, ctx());
    expect(requested.filter((u) => u.endsWith('weights.safetensors'))).toHaveLength(2);
    await ranksLikeGoldens(h);
  });

  it('refuses with ModelIntegrityError when the server sends corrupt weights too', async () => {
    const requested: string[] = [];
    const good = fixtureFetch(requested);
    const corrupting: typeof fetch = async (input, init) => {
      const response = await good(input, init);
      if (!String(input).endsWith('weights.safetensors')) return response;
      const bytes = new Uint8Array(await response.arrayBuffer()); // [n]
      bytes[bytes.length - 1] ^= 0x40;
      return new Response(bytes);
    };
    const disk = new FakeDisk();
    const { h } = await handlersOn(disk, requested, corrupting);
    const loading = Promise.resolve(h['sasrec.load']({ modelUrl: served, backend: 'cpu' }, ctx()));
    const error = await loading.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelIntegrityError);
    expect(disk.files.size).toBe(0);
  });

  it('loads an imported bundle from the store alone, without the network', async () => {
    const disk = new FakeDisk();
    const requested: string[] = [];
    const { store, h } = await handlersOn(disk, requested);
    const bundle = await importSasrecBundle(store, fixtureFiles());
    expect(bundle.model).toMatch(/^local-[0-9a-f]{16}$/);
    const result = await h['sasrec.load']({ modelUrl: `${ORIGIN}/${bundle.path}`, backend: 'cpu' }, ctx());
    expect(result.itemKeys).toEqual(itemKeys);
    expect(requested).toEqual([]);
    await ranksLikeGoldens(h);
  });

  it('refuses an imported bundle whose stored weights were corrupted', async () => {
    const disk = new FakeDisk();
    const { store, h } = await handlersOn(disk, []);
    const bundle = await importSasrecBundle(store, fixtureFiles());
    disk.damage('weights.safetensors', (b) => ((b[200] ^= 1), b));
    await expect(h['sasrec.load']({ modelUrl: `${ORIGIN}/${bundle.path}` }, ctx())).rejects.toThrow(
      ModelIntegrityError,
    );
  });

  it('still loads a served model from the network when the store has no room for it', async () => {
    const disk = new FakeDisk(1000); // the weights (5768 bytes) do not fit
    const requested: string[] = [];
    const { h } = await handlersOn(disk, requested);
    await h['sasrec.load']({ modelUrl: served, backend: 'cpu' }, ctx());
    await ranksLikeGoldens(h);
    expect(disk.files.size).toBe(0);
    // one download attempt for the store, then the plain network read
    expect(requested.filter((u) => u.endsWith('weights.safetensors'))).toHaveLength(2);
  });
});
