import { afterEach, describe, expect, it, vi } from 'vitest';
import { ModelRegistryError } from '../../src/state/model-registry.ts';
import { AssetFetchError, backendFromSearch, planStartup } from '../../src/state/startup.ts';

const BASE = 'http://127.0.0.1:4173/app/';

function serveRegistry(body: unknown, status = 200): string[] {
  const asked: string[] = [];
  vi.stubGlobal('fetch', async (url: string) => {
    asked.push(url);
    return new Response(JSON.stringify(body), { status });
  });
  return asked;
}

afterEach(() => vi.unstubAllGlobals());

describe('planStartup', () => {
  it('resolves the default model and its data set catalog against the page URL', async () => {
    const asked = serveRegistry({
      models: [{ id: 'ml-latest-small-sasrec', arch: 'sasrec', dataset: 'ml-latest-small', page: true }],
    });
    await expect(planStartup(BASE)).resolves.toEqual({
      modelId: 'ml-latest-small-sasrec',
      modelUrl: `${BASE}models/ml-latest-small-sasrec/`,
      catalogUrl: `${BASE}data/ml-latest-small/catalog.bin`,
    });
    expect(asked).toEqual([`${BASE}models/registry.json`]);
  });

  it("prefers the entry's catalog field", async () => {
    serveRegistry({
      models: [{ id: 'm', arch: 'sasrec', dataset: 'x', page: true, catalog: 'data/own/c.bin' }],
    });
    expect((await planStartup(BASE)).catalogUrl).toBe(`${BASE}data/own/c.bin`);
    serveRegistry({ models: [{ id: 'm', page: true, catalog: 'https://cdn.example.com/c.bin' }] });
    await expect(planStartup(BASE)).rejects.toThrow(/not on this origin/);
  });

  it('fails with named errors on HTTP errors and registries without a SASRec model', async () => {
    serveRegistry({}, 404);
    await expect(planStartup(BASE)).rejects.toBeInstanceOf(AssetFetchError);
    serveRegistry({ models: [{ id: 'x', arch: 'llama', page: true }] });
    await expect(planStartup(BASE)).rejects.toBeInstanceOf(ModelRegistryError);
  });
});

describe('backendFromSearch', () => {
  it('reads ?backend=cpu|webgpu and defaults to auto', () => {
    expect(backendFromSearch('?backend=cpu')).toBe('cpu');
    expect(backendFromSearch('?x=1&backend=webgpu')).toBe('webgpu');
    expect(backendFromSearch('?backend=tpu')).toBe('auto');
    expect(backendFromSearch('')).toBe('auto');
  });
});
