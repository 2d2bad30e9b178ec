/**
 * Driving the built page from Node tools (playwright-core): add movies through the search box as a
 * visitor does. Shared by `npm run eval:explain-page` and `npm run docs:screenshot`.
 */
import type { Page } from 'playwright-core';
import { displayTitle } from '../../src/data/title.ts';
import type { Dataset } from '../../src/data/types.ts';

/** "The Rock (1996)" as the page's search buttons say it (data/title.ts), for dense id `id` (1-based). */
export function labelOf(dataset: Dataset, id: number): string {
  return displayTitle(dataset.items[id - 1]);
}

/** Adds `label` through the search box; false when the search does not offer it within 5 s. */
export async function tryAdd(page: Page, label: string): Promise<boolean> {
  await page.getByRole('searchbox', { name: 'Title' }).fill(label.replace(/ \(\d{4}\)$/, ''));
  try {
    await page.getByRole('button', { name: `Add ${label}`, exact: true }).click({ timeout: 5_000 });
    return true;
  } catch {
    return false;
  }
}
