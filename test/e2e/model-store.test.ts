/**
 * The Models panel in Chromium: the default model is downloaded into the model store and the
 * storage estimate shows; a SASRec bundle picked from files (setInputFiles) is checked, kept and
 * loaded by the page's worker from the store, and ranks; a corrupt weight file is refused with the
 * named error and nothing is kept; "Delete downloaded models" empties the store.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { requireOrSkip } from '../helpers/require.ts';
import { chromiumInstalled, CHROMIUM_PATH } from './helpers/browser.ts';
import { e2eModels } from './helpers/models-dir.ts';
import { bundleFiles, storedModels, withPage } from './helpers/models-panel.ts';
import { addMovies } from './helpers/page-actions.ts';
import { servedForSuite } from './helpers/served-suite.ts';
import { randomQ4Gguf } from '../../src/llm/random-model.ts';
import { TINY_CONFIG } from '../llm/tiny-llama.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const MOVIES = ['Toy Story (1995)', 'Jumanji (1995)', 'Heat (1995)'];

const noChromium = requireOrSkip(
  chromiumInstalled(),
  `Chromium not found at ${CHROMIUM_PATH}; install it with .ci/setup-system.sh (apt-get install chromium)`,
);

describe.skipIf(noChromium)('Models panel (model store)', () => {
  const served = servedForSuite(root);

  it('stores the default model, shows the estimate, loads a picked bundle from the store and ranks with it', () =>
    withPage(async (page) => {
      const weightRequests: string[] = [];
      page.on('request', (request) => {
        // the page's and its worker's requests that reached the network (store reads never do)
        if (/weights\.safetensors$|\/local-models\//.test(request.url())) weightRequests.push(request.url());
      });
      await page.goto(served().url);
      const status = page.getByRole('status');
      await expect.poll(() => status.getAttribute('data-state'), { timeout: 60_000 }).toBe('ready');
      const panel = page.getByRole('region', { name: 'Models' });
      await expect
        .poll(() => panel.locator('.storage-estimate').textContent())
        .toMatch(/This site uses \d+\.\d MB of \d+\.\d MB allowed in this browser \(Cache API\)/);
      await expect
        .poll(() => storedModels(page).allTextContents())
        .toEqual([
          expect.stringMatching(
            new RegExp(`^${e2eModels(root).modelId}.*items\\.json, weights\\.safetensors`),
          ),
        ]);
      expect(weightRequests).toHaveLength(1);

      await page.getByLabel('Model files', { exact: true }).setInputFiles(bundleFiles(root));
      await expect
        .poll(() => panel.locator('.notice').textContent(), { timeout: 60_000 })
        .toMatch(/^loaded: SASRec .*, \d+ items \(kept in this browser\)$/);
      await expect.poll(() => storedModels(page).count()).toBe(2);
      // storing it asked navigator.storage.persist(); the panel says what the browser answered
      const persisted = await page.evaluate(() => navigator.storage.persisted());
      await expect
        .poll(() => panel.locator('.persistence').getAttribute('data-persistence'))
        .toBe(persisted ? 'persistent' : 'declined');
      await expect.poll(() => status.getAttribute('data-state'), { timeout: 60_000 }).toBe('ready');
      // the worker read the picked bundle (local-models/…) and the default weights from the store
      expect(weightRequests).toHaveLength(1);
      await addMovies(page, MOVIES);
      const recs = page.getByRole('list', { name: 'Recommendations' }).getByRole('listitem');
      await expect.poll(() => recs.count(), { timeout: 120_000 }).toBe(20);

      await page.getByRole('button', { name: 'Delete downloaded models' }).click();
      await expect.poll(() => storedModels(page).count()).toBe(0);
    }));

  it('refuses a bundle with a corrupt weight file by name and keeps nothing of it', () =>
    withPage(async (page) => {
      await page.goto(served().url);
      await expect.poll(() => storedModels(page).count(), { timeout: 60_000 }).toBe(1);
      await page
        .getByLabel('Model files', { exact: true })
        .setInputFiles(bundleFiles(root, { corrupt: true }));
      const alert = page.getByRole('region', { name: 'Models' }).getByRole('alert');
      await expect
        .poll(() => alert.textContent(), { timeout: 60_000 })
        .toMatch(
          /^ModelIntegrityError: "weights\.safetensors" has SHA-256 [0-9a-f]{64} but the manifest says/,
        );
      expect(await storedModels(page).count()).toBe(1);
    }));

  it('cancels a URL download that is still running, keeping nothing', () =>
    withPage(async (page) => {
      let hold: (() => Promise<void>) | undefined;
      // the server never answers this file until the test ends
      await page.route('**/slow-model.gguf', (route) => void (hold = () => route.abort()));
      await page.goto(served().url);
      await expect.poll(() => storedModels(page).count(), { timeout: 60_000 }).toBe(1);
      await page.getByLabel('Model URL').fill(`${served().origin}/slow-model.gguf`);
      await page.getByRole('button', { name: 'Download', exact: true }).click();
      const bar = page.getByRole('group', { name: /^Downloading .*slow-model\.gguf/ });
      await expect.poll(() => bar.count(), { timeout: 30_000 }).toBe(1);
      await bar.getByRole('button', { name: 'Cancel' }).click();
      const alert = page.getByRole('region', { name: 'Models' }).getByRole('alert');
      await expect.poll(() => alert.textContent(), { timeout: 30_000 }).toBe('Cancelled; nothing was kept.');
      expect(await bar.count()).toBe(0);
      expect(await storedModels(page).count()).toBe(1);
      await hold?.();
    }));

  it('measures writing and reading the default weights through the store (Cache API and IndexedDB)', () =>
    withPage(async (page) => {
      await page.goto(`${served().url}?diagnostics`);
      const { modelId } = e2eModels(root);
      const figures = await page.evaluate(async (model) => {
        type Store = {
          put(k: object, b: ArrayBuffer, d: object): Promise<void>;
          get(k: object, d: object): Promise<ArrayBuffer | undefined>;
          delete(m: string): Promise<void>;
        };
        const { openModelStore } = (
          globalThis as unknown as {
            localrecDiagnostics: { openModelStore: (env: object) => Promise<Store> };
          }
        ).localrecDiagnostics;
        const manifest = await (await fetch(`models/${model}/manifest.json`)).json();
        const bytes = await (await fetch(`models/${model}/weights.safetensors`)).arrayBuffer();
        const digest = manifest.files['weights.safetensors'];
        const out: Record<string, number> = { bytes: bytes.byteLength };
        for (const [name, env] of [
          ['cache', { caches, origin: location.origin }],
          ['indexeddb', { indexedDB, origin: location.origin }],
        ] as const) {
          const store = await openModelStore(env);
          const key = { model: 'timing-probe', file: 'weights.safetensors' };
          let t = performance.now();
          await store.put(key, bytes, digest);
          out[`${name}WriteMs`] = performance.now() - t;
          t = performance.now();
          const back = await store.get(key, digest);
          out[`${name}ReadMs`] = performance.now() - t;
          out[`${name}ReadBytes`] = back?.byteLength ?? -1;
          await store.delete('timing-probe');
        }
        return out;
      }, modelId);
      console.log(`[model store] ${JSON.stringify(figures)}`);
      expect(figures.cacheReadBytes).toBe(figures.bytes);
      expect(figures.indexeddbReadBytes).toBe(figures.bytes);
    }));

  it('checks a picked GGUF and names it; refuses a wrong file type and a bad CSV row by name', () =>
    withPage(async (page) => {
      await page.goto(served().url);
      await expect.poll(() => storedModels(page).count(), { timeout: 60_000 }).toBe(1);
      const input = page.getByLabel('Model files', { exact: true });
      const panel = page.getByRole('region', { name: 'Models' });
      const gguf = randomQ4Gguf({ ...TINY_CONFIG, dim: 32, hiddenDim: 64, vocabSize: 64 }, null, 5);
      await input.setInputFiles({
        name: 'tiny-q4.gguf',
        mimeType: 'application/octet-stream',
        buffer: Buffer.from(gguf),
      });
      await expect
        .poll(() => panel.locator('.notice').textContent(), { timeout: 30_000 })
        .toMatch(/^loaded: tiny-q4\.gguf, llama, \d+\.\dK params, Q4_0, 2 layers/);
      await expect
        .poll(() => storedModels(page).allTextContents())
        .toContainEqual(expect.stringMatching(/^gguf-[0-9a-f]{16}\s+gguf\.json, model\.gguf$/));

      const alert = panel.getByRole('alert');
      await input.setInputFiles({
        name: 'cat.png',
        mimeType: 'image/png',
        buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 13, 10]),
      });
      await expect
        .poll(() => alert.textContent(), { timeout: 30_000 })
        .toMatch(/^UnsupportedFileError: cat\.png: not a file LocalRec can load\. It accepts a GGUF/);
      const csv = 'user,item,rating\nu1,1,5\nu1,2,oops\n';
      await input.setInputFiles({ name: 'log.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
      await expect
        .poll(() => alert.textContent(), { timeout: 30_000 })
        .toMatch(/^DataFormatError: log\.csv, line 3: expected/);
    }));

  it('re-fetches the default weights when their stored copy was truncated, and still ranks', () =>
    withPage(async (page) => {
      const weightRequests: string[] = [];
      page.on(
        'request',
        (r) => void (r.url().endsWith('weights.safetensors') && weightRequests.push(r.url())),
      );
      await page.goto(served().url);
      const status = page.getByRole('status');
      await expect.poll(() => status.getAttribute('data-state'), { timeout: 60_000 }).toBe('ready');
      const damaged = await page.evaluate(async () => {
        const cache = await caches.open('localrec-models');
        const request = (await cache.keys()).find((r) => r.url.endsWith('weights.safetensors'));
        if (!request) return false;
        const bytes = await (await cache.match(request))!.arrayBuffer();
        await cache.put(request, new Response(bytes.slice(0, 1000)));
        return true;
      });
      expect(damaged).toBe(true);
      await page.reload();
      await expect.poll(() => status.getAttribute('data-state'), { timeout: 60_000 }).toBe('ready');
      await addMovies(page, MOVIES);
      const recs = page.getByRole('list', { name: 'Recommendations' }).getByRole('listitem');
      await expect.poll(() => recs.count(), { timeout: 120_000 }).toBe(20);
      expect(weightRequests).toHaveLength(2); // first visit, then the re-fetch of the damaged copy
    }));

  it('loads a SASRec bundle from a typed directory URL (same origin), and ranks', () =>
    withPage(async (page) => {
      await page.goto(served().url);
      await expect.poll(() => storedModels(page).count(), { timeout: 60_000 }).toBe(1);
      await page.getByLabel('Model URL').fill(`${served().url}models/${e2eModels(root).modelId}/`);
      await page.getByRole('button', { name: 'Download', exact: true }).click();
      const panel = page.getByRole('region', { name: 'Models' });
      await expect
        .poll(() => panel.locator('.notice').textContent(), { timeout: 60_000 })
        .toMatch(/^loaded: SASRec .*, \d+ items \(kept in this browser\)$/);
      await expect.poll(() => storedModels(page).count()).toBe(2);
      await expect
        .poll(() => page.getByRole('status').getAttribute('data-state'), { timeout: 60_000 })
        .toBe('ready');
      await addMovies(page, MOVIES);
      const recs = page.getByRole('list', { name: 'Recommendations' }).getByRole('listitem');
      await expect.poll(() => recs.count(), { timeout: 120_000 }).toBe(20);
    }));
});
