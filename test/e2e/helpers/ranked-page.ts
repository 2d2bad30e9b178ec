/**
 * A fresh Chromium (CPU fallback) on the served page with `movies` added and the full list of 20
 * recommendations on screen; records every request so a test can check nothing left the origin.
 */
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { launchChromium, type LaunchedBrowser } from './browser.ts';
import { addMovies } from './page-actions.ts';
import type { ServedPage } from './serve-page.ts';

/** The open page; call `browser.close()` when done. */
export interface RankedPage {
  browser: LaunchedBrowser;
  page: Page;
  /** the recommendation list items */
  recs: Locator;
  /** every URL the browser asked for (page and workers) */
  requested: string[];
}

/** Open `served`, add `movies` through the UI and wait for 20 recommendations. */
export async function openRankedPage(served: ServedPage, movies: readonly string[]): Promise<RankedPage> {
  const browser = await launchChromium({ webgpu: false });
  const requested: string[] = [];
  browser.context.on('request', (request) => requested.push(request.url()));
  const page = await browser.context.newPage();
  page.on('pageerror', (error) => console.error('[page error]', error));
  await page.goto(served.url);
  await addMovies(page, movies);
  const recs = page.getByRole('list', { name: 'Recommendations' }).getByRole('listitem');
  await expect.poll(() => recs.count(), { timeout: 120_000 }).toBe(20);
  return { browser, page, recs, requested };
}
