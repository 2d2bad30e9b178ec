import { describe, expect, it } from 'vitest';
import type { ByteProgress } from '../../src/store/download.ts';
import { DownloadCancelledError } from '../../src/store/errors.ts';
import { prefetchModel } from '../../src/store/prefetch.ts';
import { ORIGIN, fixtureFetch } from '../protocol/sasrec-fixture.ts';
import { FakeDisk } from './fake-storage.ts';
import { BACKENDS } from './store-fixtures.ts';

const dir = `${ORIGIN}/models/tiny/`;

describe('prefetchModel', () => {
  it('downloads the weight file the page needs (not model.onnx or goldens.json), once', async () => {
    const store = await BACKENDS.cache(new FakeDisk());
    const requested: string[] = [];
    const seen: ByteProgress[] = [];
    const first = await prefetchModel(store, 'tiny', dir, {
      fetch: fixtureFetch(requested),
      onProgress: (p) => seen.push(p),
    });
    // the fixture's manifest lists weights.safetensors (5768 bytes), model.onnx and goldens.json, not items.json
    expect(first).toEqual({ downloaded: ['weights.safetensors'], kept: [], bytes: 5768 });
    expect(seen.at(-1)).toEqual({ done: 5768, total: 5768 });
    const second = await prefetchModel(store, 'tiny', dir, { fetch: fixtureFetch(requested) });
    expect(second).toEqual({ downloaded: [], kept: ['weights.safetensors'], bytes: 0 });
    expect(requested.filter((u) => !u.endsWith('manifest.json'))).toEqual([`${dir}weights.safetensors`]);
  });

  it('keeps nothing when cancelled', async () => {
    const disk = new FakeDisk();
    const controller = new AbortController();
    controller.abort();
    const run = prefetchModel(await BACKENDS.cache(disk), 'tiny', dir, {
      fetch: fixtureFetch([]),
      signal: controller.signal,
    });
    await expect(run).rejects.toThrow(DownloadCancelledError);
    expect(disk.files.size).toBe(0);
  });
});
