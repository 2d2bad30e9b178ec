/**
 * The chat box in Chromium (CPU backend): scripted turns refine SASRec's candidates in the page —
 * "like Alien but funnier" (anchor + Comedy boost), "no horror" (filter), "from the 90s" (decade
 * filter), an unknown word said back, "start over" — and no request leaves the page's origin.
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { requireOrSkip } from '../helpers/require.ts';
import { chromiumInstalled, CHROMIUM_PATH, launchChromium } from './helpers/browser.ts';
import { addMovies } from './helpers/page-actions.ts';
import { requestsOutside, servedForSuite } from './helpers/served-suite.ts';
import { say } from './chat-turns.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const MOVIES = ['Toy Story (1995)', 'Jumanji (1995)', 'Heat (1995)'];

const noChromium = requireOrSkip(
  chromiumInstalled(),
  `Chromium not found at ${CHROMIUM_PATH}; install it with .ci/setup-system.sh (apt-get install chromium)`,
);

describe.skipIf(noChromium)('chat box in Chromium', () => {
  const served = servedForSuite(root);

  it('refines the list turn by turn and keeps every request on the origin', async () => {
    const browser = await launchChromium({ webgpu: false });
    try {
      const requested: string[] = [];
      browser.context.on('request', (request) => requested.push(request.url()));
      const page = await browser.context.newPage();
      page.on('pageerror', (error) => console.error('[page error]', error));
      await page.goto(served().url);
      await addMovies(page, MOVIES);
      const recs = page.getByRole('list', { name: 'Recommendations' }).getByRole('listitem');
      await expect.poll(() => recs.count(), { timeout: 120_000 }).toBe(20);

      const like = await say(page, 'something like Alien but funnier', 1);
      expect(like.reply).toMatch(
        /^Like Alien \(1979\); more Comedy: \d+ of the top 200 fit, best 10 shown\.$/,
      );
      expect(like.shown).toHaveLength(10);
      const titles = like.shown.map((s) => s.title);
      expect(titles).not.toContain('Alien (1979)');
      expect(titles.filter((t) => MOVIES.includes(t))).toEqual([]);

      const noHorror = await say(page, 'no horror', 2);
      expect(noHorror.reply).toMatch(/^Like Alien \(1979\); more Comedy; no Horror: \d+ of the top 200 fit/);
      expect(noHorror.shown.length).toBeGreaterThan(0);
      expect(noHorror.shown.filter((s) => s.genres.includes('Horror'))).toEqual([]);

      const nineties = await say(page, 'from the 90s', 3);
      expect(nineties.reply).toMatch(/^Like Alien \(1979\); only the 1990s; more Comedy; no Horror: /);
      expect(nineties.shown.length).toBeGreaterThan(0);
      for (const s of nineties.shown) {
        expect(s.year, s.title).toBeGreaterThanOrEqual(1990);
        expect(s.year, s.title).toBeLessThanOrEqual(1999);
        expect(s.genres, s.title).not.toContain('Horror');
      }

      mkdirSync(`${root}test-results`, { recursive: true });
      await page.screenshot({ path: `${root}test-results/chat.png`, fullPage: true });

      const unknown = await say(page, 'blorp', 4);
      expect(unknown.reply).toContain('I did not use: “blorp”.');

      const reset = await say(page, 'start over', 5);
      expect(reset.reply).toBe('Starting over: your plain recommendations.');
      expect(reset.shown).toEqual([]);

      expect(requested.length).toBeGreaterThan(0);
      expect(requestsOutside(requested, served().origin)).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
