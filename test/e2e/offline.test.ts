/**
 * Offline mode in Chromium: the first visit installs the service worker (dist/sw.js), which
 * precaches the app shell, the default model's manifest and its catalog, while the model's weights
 * are kept once, in the model store (not in the precache too); with the network off, a reload
 * still shows the page and ranks three added movies. Older LocalRec caches are deleted on
 * activate; other caches of the origin are left alone.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { requireOrSkip } from '../helpers/require.ts';
import { chromiumInstalled, CHROMIUM_PATH, launchChromium } from './helpers/browser.ts';
import { servedForSuite } from './helpers/served-suite.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const MOVIES = ['Toy Story (1995)', 'Jumanji (1995)', 'Heat (1995)'];

const noChromium = requireOrSkip(
  chromiumInstalled(),
  `Chromium not found at ${CHROMIUM_PATH}; install it with .ci/setup-system.sh (apt-get install chromium)`,
);

/** Bytes of `path` fetched by the page (read to the end: a body left unread is aborted by the next reload). */
function fetchedBytes(page: Page, path: string): Promise<number> {
  return page.evaluate(async (p) => (await (await fetch(p)).arrayBuffer()).byteLength, path);
}

/** Wait until the page's service worker is activated and controls the page; return its cache names. */
async function waitForServiceWorker(page: Page): Promise<string[]> {
  await page.waitForFunction(() => navigator.serviceWorker.controller?.state === 'activated', undefined, {
    timeout: 60_000,
  });
  return page.evaluate(() => caches.keys());
}

describe.skipIf(noChromium)('offline mode (service worker precache)', () => {
  const served = servedForSuite(root);

  it('after one online visit, reloads with the network off and ranks three added movies', async () => {
    const browser = await launchChromium({ webgpu: false });
    try {
      const page = await browser.context.newPage();
      page.on('pageerror', (error) => console.error('[page error]', error));
      // a document on the origin that does not register the worker: plant an old and a foreign cache
      await page.goto(`${served().url}models/registry.json`);
      await page.evaluate(async () => {
        await caches.open('localrec-precache-0000000000000000');
        await caches.open('someone-elses-cache');
      });
      await page.goto(served().url);
      const cacheNames = await waitForServiceWorker(page);
      expect(cacheNames.filter((n) => n.startsWith('localrec-precache-'))).toHaveLength(1);
      expect(cacheNames).toContain('someone-elses-cache');
      expect(cacheNames).not.toContain('localrec-precache-0000000000000000');
      // let the first visit's own loads (worker: manifest, weights, items.json) finish online, or
      // one still in flight would fail when the network goes off and be counted below
      const status = page.getByRole('status');
      await expect.poll(() => status.getAttribute('data-state'), { timeout: 60_000 }).toBe('ready');
      // the default model's weights are kept once: in the model store, not in the precache
      const weightCopies = await page.evaluate(async () => {
        const copies: Record<string, number> = {};
        for (const name of await caches.keys()) {
          const keys = await (await caches.open(name)).keys();
          copies[name.replace(/-[0-9a-f]{16}$/, '')] = keys.filter((r) =>
            decodeURIComponent(r.url).endsWith('/weights.safetensors'),
          ).length;
        }
        return copies;
      });
      expect(weightCopies).toMatchObject({ 'localrec-precache': 0, 'localrec-models': 1 });
      // the language model's word list (360 KB) is not downloaded by a visit that does not use it; its
      // first use (here a plain fetch) keeps it in the same cache for offline use
      const wordList = `assets/${readdirSync(join(served().outDir, 'assets')).find((f) => /^english-words-.*\.js$/.test(f))}`;
      const cachedWordList = (): Promise<boolean> =>
        page.evaluate(async (path) => {
          for (const name of await caches.keys())
            if ((await (await caches.open(name)).keys()).some((r) => r.url.endsWith(path))) return true;
          return false;
        }, wordList);
      expect(await cachedWordList()).toBe(false);
      const wordListBytes = await fetchedBytes(page, wordList);
      expect(wordListBytes).toBeGreaterThan(100_000);
      expect(await cachedWordList()).toBe(true);

      await browser.context.setOffline(true);
      const fromNetwork: string[] = [];
      page.on('requestfailed', (request) => fromNetwork.push(`failed ${request.url()}`));
      page.on('response', (response) => {
        if (!response.fromServiceWorker()) fromNetwork.push(response.url());
      });
      await page.reload();
      const search = page.getByLabel('Title');
      await expect.poll(() => search.isEnabled(), { timeout: 60_000 }).toBe(true);
      for (const label of MOVIES) {
        await search.fill(label.replace(/ \(\d{4}\)$/, ''));
        await page.getByRole('button', { name: `Add ${label}`, exact: true }).click();
      }
      const recs = page.getByRole('list', { name: 'Recommendations' }).getByRole('listitem');
      await expect.poll(() => recs.count(), { timeout: 120_000 }).toBe(20);
      const titles = await recs.locator('.title').allTextContents();
      expect(titles.filter((t) => MOVIES.includes(t))).toEqual([]);
      expect(await status.getAttribute('data-backend')).toBe('cpu');
      expect(await page.evaluate(() => navigator.onLine)).toBe(false);
      expect(await fetchedBytes(page, wordList)).toBe(wordListBytes); // offline: from the cache
      expect(fromNetwork.filter((u) => !/^(data|blob):/.test(u))).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
