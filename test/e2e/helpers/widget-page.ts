/**
 * Shared pieces of the <local-rec> widget e2e tests.
 */
import type { Locator } from 'playwright-core';
import { expect } from 'vitest';

/** Toy Story, Jumanji, Heat: keys of the bundled catalog the trained and the fixture model both know */
export const VIEWED = ['1', '2', '6'];

/** The texts of `titles` once exactly `count` of them are shown (a widget's ranking has arrived). */
export async function shownTitles(titles: Locator, count: number): Promise<string[]> {
  await expect.poll(() => titles.count(), { timeout: 120_000 }).toBe(count);
  return titles.allTextContents();
}
