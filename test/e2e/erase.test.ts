/**
 * "Delete everything" in Chromium (issue 6, Privacy): with the user's own model in use and a history,
 * a "no" to the confirmation keeps everything; a "yes" puts the page back on the default model, which
 * still ranks, and leaves no LocalRec database or data cache (the service worker's precache of the app
 * shell stays), no cookie and nothing in localStorage / sessionStorage; the result line says what went.
 * A reload is then a fresh first visit: empty history, the default model downloaded again, no choice.
 * A GGUF the user picked as the language model leaves the LLM worker too: the list stops being
 * re-ranked by it at once, without a reload.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { noChromium } from './helpers/browser.ts';
import { deleteEverything, keptData, localRecData } from './helpers/kept-data.ts';
import { e2eModels } from './helpers/models-dir.ts';
import { PICKED, readyStatus, storedModels, usePickedBundle, withPage } from './helpers/models-panel.ts';
import { addMovies } from './helpers/page-actions.ts';
import { openRankedPage } from './helpers/ranked-page.ts';
import { servedForSuite } from './helpers/served-suite.ts';
import { STORIES_DIR } from '../llm/stories-files.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const MOVIES = ['Toy Story (1995)', 'Jumanji (1995)'];
const GGUF = resolve(STORIES_DIR, 'stories260K.gguf');

describe.skipIf(noChromium())('Delete everything', () => {
  const served = servedForSuite(root);
  const { modelId } = e2eModels(root);

  it('asks first, then removes history, settings and stored models and leaves the page on the default model', () =>
    withPage(async (page) => {
      await usePickedBundle(page, served().url, root);
      await addMovies(page, MOVIES);
      const history = page.getByRole('list', { name: 'History' }).getByRole('listitem');
      await expect.poll(() => history.count()).toBe(2);
      expect(localRecData(await keptData(page)).sort()).toEqual([
        'localrec',
        'localrec-models',
        'localrec-settings',
      ]);

      // "no": nothing is touched
      const asked: string[] = [];
      page.once('dialog', (dialog) => void (asked.push(dialog.message()), dialog.dismiss()));
      await page.getByRole('button', { name: 'Delete everything' }).click();
      await expect.poll(() => asked.length).toBe(1);
      expect(asked[0]).toMatch(/^Delete everything LocalRec keeps in this browser/);
      expect(await page.locator('.erase-result').count()).toBe(0);
      expect(await history.count()).toBe(2);
      expect(await storedModels(page).count()).toBe(2);

      const line = await deleteEverything(page);
      expect(line).toMatch(
        new RegExp(
          `^Deleted: your model choice \\(${PICKED}; the default model ${modelId} is in use again\\); ` +
            `history \\(2 items\\); stored models \\(local-[0-9a-f]{16}, ${modelId}\\); ` +
            'browser storage \\(IndexedDB localrec, localrec-settings; Cache API localrec-models\\)\\.$',
        ),
      );
      expect(await page.getByRole('region', { name: 'Your data' }).getByRole('alert').count()).toBe(0);
      const kept = await keptData(page);
      expect(localRecData(kept)).toEqual([]);
      expect(kept.caches.length).toBe(1); // the precache of the app shell
      expect(kept).toMatchObject({ cookie: '', localStorage: 0, sessionStorage: 0 });
      expect(await history.count()).toBe(0);
      expect(await storedModels(page).count()).toBe(0);
      expect(await page.locator('.chosen').count()).toBe(0);
      expect(await readyStatus(page)).toContain(`Model ${modelId} ready`);
      // the default model is in memory: it still ranks without its files
      await addMovies(page, MOVIES.slice(0, 1));
      const recs = page.getByRole('list', { name: 'Recommendations' }).getByRole('listitem');
      await expect.poll(() => recs.count(), { timeout: 60_000 }).toBe(20);

      // a fresh first visit
      await page.getByRole('button', { name: 'Clear', exact: true }).click(); // the one item just added
      await expect.poll(() => history.count()).toBe(0);
      await page.reload();
      expect(await readyStatus(page)).toContain(`Model ${modelId} ready`);
      await expect.poll(() => storedModels(page).count(), { timeout: 60_000 }).toBe(1);
      expect(await page.getByText('Nothing yet: search for a movie and press Add.').count()).toBe(1);
      expect(await page.locator('.chosen').count()).toBe(0);
      await expect
        .poll(() => page.locator('.notice').textContent(), { timeout: 30_000 })
        .toMatch(new RegExp(`^downloaded ${modelId}: `));
    }));

  it.skipIf(!existsSync(GGUF))(
    "takes the user's GGUF out of the LLM worker: the list is no longer re-ranked by it",
    async () => {
      const { browser, page } = await openRankedPage(served(), MOVIES);
      try {
        await page.getByLabel('Model files', { exact: true }).setInputFiles({
          name: 'stories260K.gguf',
          mimeType: 'application/octet-stream',
          buffer: readFileSync(GGUF),
        });
        const source = page.getByTestId('list-source');
        await expect.poll(() => source.getAttribute('data-source'), { timeout: 120_000 }).toBe('sasrec+llm');
        expect(await page.getByTestId('llm-loaded').textContent()).toContain('stories260K.gguf');

        const line = await deleteEverything(page);
        expect(line).toMatch(/^Deleted: your language model \(stories260K\.gguf, no longer in use\); /);
        expect(await page.getByRole('region', { name: 'Your data' }).getByRole('alert').count()).toBe(0);
        expect(await page.getByRole('checkbox', { name: /Language model/ }).isChecked()).toBe(false);
        // the history went too: rank again. Before, the deleted file's model went on re-ranking and
        // explaining the list until a reload; now SASRec's order and template sentences
        await addMovies(page, MOVIES.slice(0, 1));
        const recs = page.getByRole('list', { name: 'Recommendations' }).getByRole('listitem');
        await expect.poll(() => recs.count(), { timeout: 60_000 }).toBe(20);
        const tags = page.getByTestId('verbaliser');
        await expect.poll(() => tags.count(), { timeout: 60_000 }).toBe(20);
        expect(new Set(await tags.allTextContents())).toEqual(new Set(['(template)']));
        expect(await source.getAttribute('data-source')).toBe('sasrec');
        expect(await page.getByTestId('llm-loaded').count()).toBe(0);
      } finally {
        await browser.close();
      }
    },
  );
});
