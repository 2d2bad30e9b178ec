/**
 * Bad stored input in the page (headless Chromium, CPU backend): the history the page restores from
 * IndexedDB is written by the test before a reload.
 *  - 10,000 items (most items the model knows, after thousands of keys it does not): the page ranks,
 *    and the status line says how many unknown items are ignored and that only the model's window
 *    of recent items is used;
 *  - a record that is not a history at all: a clear alert says so and what to do, and the page
 *    still ranks what the visitor adds.
 */
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { requireOrSkip } from '../helpers/require.ts';
import { chromiumInstalled, CHROMIUM_PATH, launchChromium } from './helpers/browser.ts';
import { e2eModels, servedModelFacts } from './helpers/models-dir.ts';
import { addMovies } from './helpers/page-actions.ts';
import { servedForSuite } from './helpers/served-suite.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const noChromium = requireOrSkip(
  chromiumInstalled(),
  `Chromium not found at ${CHROMIUM_PATH}; install it with .ci/setup-system.sh (apt-get install chromium)`,
);
const HISTORY_LENGTH = 10_000;

/** Write `record` as the page's stored history (IndexedDB localrec / history / current), then reload. */
async function storeHistoryAndReload(page: Page, record: unknown): Promise<void> {
  await page.evaluate(
    (value) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('localrec', 1);
        open.onupgradeneeded = () => open.result.createObjectStore('history');
        open.onerror = () => reject(open.error ?? new Error('IndexedDB open failed'));
        open.onsuccess = () => {
          const tx = open.result.transaction('history', 'readwrite');
          tx.objectStore('history').put(value, 'current');
          tx.oncomplete = () => {
            open.result.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error ?? new Error('IndexedDB write failed'));
        };
      }),
    record,
  );
  await page.reload();
}

describe.skipIf(noChromium)('the page with bad stored input', () => {
  const served = servedForSuite(root);

  it('ranks a 10,000-item history with unknown keys and says what it ignored', async () => {
    const { keys, maxLen } = servedModelFacts(e2eModels(root));
    // most items the model knows (leaving 50 to recommend, since history items are excluded), after unknown keys
    const known = keys.slice(0, Math.max(maxLen + 5, keys.length - 50));
    const unknown = HISTORY_LENGTH - known.length;
    expect(unknown).toBeGreaterThan(0);
    const stored = [...Array.from({ length: unknown }, (_, i) => `not-in-this-model-${i}`), ...known].map(
      (key, i) => ({ key, addedAt: 1_700_000_000_000 + i }),
    ); // [10,000], oldest first
    const browser = await launchChromium({ webgpu: false });
    try {
      const page = await browser.context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(String(error)));
      await page.goto(served().url);
      await storeHistoryAndReload(page, stored);

      const status = page.getByRole('status');
      await expect.poll(() => status.textContent(), { timeout: 120_000 }).toMatch(/SASRec ran on cpu/);
      const text = (await status.textContent()) ?? '';
      expect(text).toContain(
        `${unknown.toLocaleString('en-US')} history item(s) unknown to the model are ignored.`,
      );
      expect(text).toContain(
        `Only your ${maxLen.toLocaleString('en-US')} most recent items are used (the model's window); ` +
          `the ${(known.length - maxLen).toLocaleString('en-US')} older ones are ignored.`,
      );
      const recs = page.getByRole('list', { name: 'Recommendations' }).getByRole('listitem');
      await expect.poll(() => recs.count(), { timeout: 120_000 }).toBe(20);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it('reports a stored record that is not a history, and keeps working', async () => {
    const browser = await launchChromium({ webgpu: false });
    try {
      const page = await browser.context.newPage();
      await page.goto(served().url);
      await storeHistoryAndReload(page, { surprise: 'not a list' });

      const alert = page.getByRole('alert').filter({ hasText: 'Stored history' });
      await expect.poll(() => alert.count(), { timeout: 60_000 }).toBe(1);
      expect(await alert.textContent()).toMatch(
        /Stored history is not a list of \{key, addedAt\}: .+\. Clear the history to start over\./,
      );
      await addMovies(page, ['Toy Story (1995)']);
      const recs = page.getByRole('list', { name: 'Recommendations' }).getByRole('listitem');
      await expect.poll(() => recs.count(), { timeout: 120_000 }).toBe(20);
    } finally {
      await browser.close();
    }
  });
});
