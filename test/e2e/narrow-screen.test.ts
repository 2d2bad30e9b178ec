/**
 * The page on a phone-sized screen (390 × 844 CSS px, headless Chromium, CPU fallback): one column
 * and no sideways scrolling, with a full list of recommendations and their explanations on it.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { noChromium } from './helpers/browser.ts';
import { openRankedPage } from './helpers/ranked-page.ts';
import { servedForSuite } from './helpers/served-suite.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe.skipIf(noChromium())('the page on a phone', () => {
  const served = servedForSuite(root);

  it('lays the panels out in one column that fits 390 px, without sideways scrolling', async () => {
    const { browser, page } = await openRankedPage(served(), ['Toy Story (1995)', 'Heat (1995)']);
    try {
      await page.setViewportSize({ width: 390, height: 844 });
      await expect.poll(() => page.getByTestId('explanation').count(), { timeout: 120_000 }).toBe(20);
      const widths = await page.evaluate(() => ({
        page: document.documentElement.scrollWidth,
        viewport: document.documentElement.clientWidth,
      }));
      expect(widths.page).toBeLessThanOrEqual(widths.viewport);
      // the search panel sits above the recommendations, not beside them
      const search = await page.getByRole('searchbox', { name: 'Title' }).boundingBox();
      const list = await page.getByRole('list', { name: 'Recommendations' }).boundingBox();
      expect(search && list && search.y + search.height <= list.y).toBe(true);
    } finally {
      await browser.close();
    }
  });
});
