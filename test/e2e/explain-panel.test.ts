/**
 * Explanations on the page in headless Chromium (CPU fallback): after three movies are added,
 * every recommendation gets a one-line explanation, a "because you watched" line naming the same
 * drivers, and a "Why this?" panel with attention and
 * occlusion bars and the profile line; adding a fourth movie replaces them; nothing leaves the origin.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { requireOrSkip } from '../helpers/require.ts';
import { chromiumInstalled, CHROMIUM_PATH } from './helpers/browser.ts';
import { addMovies } from './helpers/page-actions.ts';
import { openRankedPage } from './helpers/ranked-page.ts';
import { requestsOutside, servedForSuite } from './helpers/served-suite.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const noChromium = requireOrSkip(
  chromiumInstalled(),
  `Chromium not found at ${CHROMIUM_PATH}; install it with .ci/setup-system.sh (apt-get install chromium)`,
);

describe.skipIf(noChromium)('explanations on the page', () => {
  const served = servedForSuite(root);

  it('streams an explanation per item and opens a Why panel built from the facts', async () => {
    const { browser, page, recs, requested } = await openRankedPage(served(), [
      'Toy Story (1995)',
      'Jumanji (1995)',
      'Heat (1995)',
    ]);
    try {
      const lines = page.getByTestId('explanation');
      await expect.poll(() => lines.count(), { timeout: 120_000 }).toBe(20);
      const first = await lines.first().textContent();
      expect(first?.length ?? 0).toBeGreaterThan(10);
      // the "because you watched" line names the explanation's drivers (occlusion), not attention's picks,
      // so the two lines agree: each explanation that cites history items cites the line's first one
      const occlusionLines = recs.locator('.because[data-source="occlusion"]');
      await expect.poll(() => occlusionLines.count(), { timeout: 60_000 }).toBeGreaterThan(0);
      for (const item of (await recs.all()).slice(0, 5)) {
        const drivers = await item.getByTestId('driver').allTextContents();
        if (drivers.length === 0) continue;
        const text = (await item.getByTestId('explanation').textContent()) ?? '';
        const cites = ['Toy Story', 'Jumanji', 'Heat'].filter((t) => text.includes(t));
        if (cites.length > 0) expect(text).toContain(drivers[0].replace(/ \(\d{4}\)$/, ''));
      }
      // the first item's panel: both measures labelled, one row per history item shown, the profile
      await recs.first().getByText('Why this?').click();
      const panel = recs.first().getByTestId('why-panel');
      await expect.poll(() => panel.isVisible()).toBe(true);
      const panelText = (await panel.textContent()) ?? '';
      expect(panelText).toContain('Attention');
      expect(panelText).toContain('Occlusion');
      expect(panelText).toContain('Your profile:');
      const rows = await panel.locator('tbody tr td:first-child').allTextContents();
      expect(rows.length).toBeGreaterThan(0);
      for (const title of rows) expect(['Toy Story', 'Jumanji', 'Heat']).toContain(title);
      // a new history: a new list, explained again (stale requests are cancelled)
      await addMovies(page, ['Casino (1995)']);
      await expect.poll(() => lines.count(), { timeout: 120_000 }).toBe(20);
      expect(requestsOutside(requested, served().origin)).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
