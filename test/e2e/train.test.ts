/**
 * In-page training in Chromium (CPU): an interactions CSV dropped on the Models panel (a ring log
 * with titles, test/train-page/synthetic.ts) is trained on in the training worker with a progress
 * bar, the trained model beats popularity, "Use this model" switches the catalog and the model,
 * and the page ranks the pattern's next item first — again after a reload (the trained model and
 * its catalog come back from the model store). A second training cancelled midway leaves the page
 * working with the model it had.
 */
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { requireOrSkip } from '../helpers/require.ts';
import { ringCsv } from '../train-page/synthetic.ts';
import { chromiumInstalled, CHROMIUM_PATH, launchChromium } from './helpers/browser.ts';
import { addMovies } from './helpers/page-actions.ts';
import { servedForSuite } from './helpers/served-suite.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

const noChromium = requireOrSkip(
  chromiumInstalled(),
  `Chromium not found at ${CHROMIUM_PATH}; install it with .ci/setup-system.sh (apt-get install chromium)`,
);

/** The ring log with a title column: item i<n> is "Ring stop i<n> (2001)". */
function ringCsvWithTitles(): Buffer {
  const [header, ...rows] = ringCsv().trimEnd().split('\n');
  const lines = [`${header},title`, ...rows.map((row) => `${row},Ring stop ${row.split(',')[1]} (2001)`)];
  return Buffer.from(lines.join('\n') + '\n');
}

/** Open the served page (CPU backend) and wait until the default model ranks. */
async function openReadyPage(url: string): Promise<{ page: Page; close: () => Promise<void> }> {
  const browser = await launchChromium({ webgpu: false });
  const page = await browser.context.newPage();
  page.on('pageerror', (error) => console.error('[page error]', error));
  await page.goto(url);
  await expect
    .poll(() => page.getByRole('status').getAttribute('data-state'), { timeout: 60_000 })
    .toBe('ready');
  return { page, close: () => browser.close() };
}

/** Hand the ring CSV to the Models panel's file input, as a drop or a pick would. */
async function pickRingCsv(page: Page): Promise<void> {
  await page
    .getByLabel('Model files', { exact: true })
    .setInputFiles({ name: 'ring-log.csv', mimeType: 'text/csv', buffer: ringCsvWithTitles() });
  const notice = page.getByRole('region', { name: 'Models' }).locator('.notice');
  await expect
    .poll(() => notice.textContent(), { timeout: 30_000 })
    .toMatch(/^read: ring-log\.csv, \d+ interactions from 300 users on 120 items; train a model on it below/);
}

/** Pick the ring CSV, press Train and wait for the first figures; returns the Train section. */
async function startTraining(page: Page, figures: RegExp) {
  await pickRingCsv(page);
  const section = page.getByRole('group', { name: 'Train a model on ring-log.csv' });
  await section.getByRole('button', { name: 'Train', exact: true }).click();
  await expect.poll(() => section.locator('.figures').textContent(), { timeout: 60_000 }).toMatch(figures);
  return section;
}

const numberAfter = (text: string, label: string): number =>
  Number(new RegExp(`${label} (\\d\\.\\d+)`).exec(text)?.[1] ?? NaN);

describe.skipIf(noChromium)('training in the page', { timeout: 600_000 }, () => {
  const served = servedForSuite(root);

  // retried once: in one full e2e run (session 8) the trained model put i6 above i7 (its validation
  // NDCG@10 was still > 0.5); see the session-8 notes
  it(
    'trains on a dropped CSV with a progress bar, uses the model and ranks the learned next item first',
    { retry: 1 },
    async () => {
      const { page, close } = await openReadyPage(served().url);
      try {
        const section = await startTraining(page, /loss \d/);
        const bar = section.locator('progress');
        expect(await bar.count()).toBe(1);
        const trained = section.locator('.trained');
        await expect.poll(() => trained.count(), { timeout: 400_000 }).toBe(1);
        const line = ((await trained.textContent()) ?? '').replace(/\s+/g, ' ').trim();
        expect(line).toMatch(
          /^Trained on \d+ interactions from 300 users on 120 items: best epoch \d+ of \d+/,
        );
        expect(await bar.count()).toBe(0);
        const ndcg = numberAfter(line, 'validation NDCG@10');
        const popularity = numberAfter(line, 'popularity');
        expect(popularity).toBeLessThan(0.1);
        expect(ndcg).toBeGreaterThan(0.5);

        await section.getByRole('button', { name: 'Use this model' }).click();
        await expect.poll(() => section.locator('.in-use').count(), { timeout: 60_000 }).toBe(1);
        // users walking the ring with stride 2: i1, i3, i5 → i7
        await addMovies(page, ['Ring stop i1 (2001)', 'Ring stop i3 (2001)', 'Ring stop i5 (2001)']);
        const recs = page.getByRole('list', { name: 'Recommendations' }).getByRole('listitem');
        await expect.poll(() => recs.count(), { timeout: 60_000 }).toBe(20);
        expect(await recs.first().textContent()).toContain('Ring stop i7 (2001)');

        // the next visit uses the trained model and its catalog again, read from the model store
        await page.reload();
        await expect
          .poll(() => page.getByRole('status').getAttribute('data-state'), { timeout: 60_000 })
          .toBe('ready');
        await expect.poll(() => page.locator('.chosen').textContent()).toMatch(/^\s*In use: your model/);
        await expect.poll(() => recs.count(), { timeout: 60_000 }).toBe(20);
        expect(await recs.first().textContent()).toContain('Ring stop i7 (2001)');
      } finally {
        await close();
      }
    },
  );

  it('cancels a training midway and the page keeps ranking with the model it had', async () => {
    const { page, close } = await openReadyPage(served().url);
    try {
      const section = await startTraining(page, /epoch/);
      await section.getByRole('button', { name: 'Cancel', exact: true }).click();
      await expect
        .poll(() => section.getByText('Training cancelled; the page keeps the model it had.').count())
        .toBe(1);
      expect(await section.locator('.trained').count()).toBe(0);
      await addMovies(page, ['Toy Story (1995)', 'Jumanji (1995)', 'Heat (1995)']);
      const recs = page.getByRole('list', { name: 'Recommendations' }).getByRole('listitem');
      await expect.poll(() => recs.count(), { timeout: 120_000 }).toBe(20);
    } finally {
      await close();
    }
  });
});
