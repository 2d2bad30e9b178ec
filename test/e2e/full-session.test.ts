/**
 * Privacy over one whole session in Chromium (CPU; the service worker registered as for any visitor):
 * load, add a history, rank, switch the language model on (re-ranked, explained list), open a Why
 * panel, one chat turn, export the history, Delete everything. Every request of the page, its
 * workers and its service worker is recorded: none goes anywhere but the serving origin, and the
 * page's Content-Security-Policy reports no violation along the way.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { say } from './chat-turns.ts';
import { noChromium } from './helpers/browser.ts';
import { recordPolicyViolations } from './helpers/csp-violations.ts';
import { deleteEverything, keptData, localRecData } from './helpers/kept-data.ts';
import { readyStatus, withPage } from './helpers/models-panel.ts';
import { addMovies } from './helpers/page-actions.ts';
import { requestsOutside, servedForSuite } from './helpers/served-suite.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const MOVIES = ['Toy Story (1995)', 'Jumanji (1995)', 'Heat (1995)'];

describe.skipIf(noChromium())('a full session', () => {
  const served = servedForSuite(root);

  it('load, rank, explain with the language model, chat, export and delete: nothing leaves the origin', () =>
    withPage(async (page) => {
      const requested: { url: string; fromServiceWorker: boolean }[] = [];
      page.context().on('request', (request) => {
        requested.push({ url: request.url(), fromServiceWorker: request.serviceWorker() !== null });
      });
      const violations = await recordPolicyViolations(page);

      // load and rank
      await page.goto(served().url);
      await readyStatus(page);
      await addMovies(page, MOVIES);
      const recs = page.getByRole('list', { name: 'Recommendations' }).getByRole('listitem');
      await expect.poll(() => recs.count(), { timeout: 120_000 }).toBe(20);

      // the language model: re-ranked and explained list, a Why panel
      await page.getByRole('checkbox', { name: /Language model/ }).check();
      const source = page.getByTestId('list-source');
      await expect.poll(() => source.getAttribute('data-source'), { timeout: 180_000 }).toBe('sasrec+llm');
      const lines = page.getByTestId('explanation');
      await expect.poll(() => lines.count(), { timeout: 180_000 }).toBe(20);
      await recs.first().getByText('Why this?').click();
      await expect.poll(() => recs.first().getByTestId('why-panel').isVisible()).toBe(true);

      // a chat turn
      const turn = await say(page, 'no horror', 1);
      expect(turn.reply).toMatch(/^No Horror: /);

      // export the history (a download made in the page)
      const download = page.waitForEvent('download');
      await page.getByRole('button', { name: 'Export', exact: true }).click();
      const exported = JSON.parse(readFileSync((await (await download).path())!, 'utf8')) as {
        items: { title?: string }[];
      };
      expect(exported.items.map((i) => i.title)).toEqual(MOVIES.map((m) => m.replace(/ \(\d{4}\)$/, '')));

      // delete everything
      expect(await deleteEverything(page)).toMatch(/^Deleted: history \(3 items\); stored models \(.+\); /);
      expect(localRecData(await keptData(page))).toEqual([]);

      const urls = requested.map((r) => r.url);
      expect(requestsOutside(urls, served().origin)).toEqual([]);
      // the recording saw the service worker's precache and the language model's files
      expect(requested.filter((r) => r.fromServiceWorker).length).toBeGreaterThan(0);
      expect(urls.some((u) => u.endsWith('.gguf'))).toBe(true);
      expect(await violations()).toEqual([]);
      const fromWorker = requested.filter((r) => r.fromServiceWorker).length;
      console.log(
        `[full session] ${JSON.stringify({ requests: urls.length, fromServiceWorker: fromWorker })}`,
      );
    }));
});
