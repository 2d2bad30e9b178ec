/**
 * What LocalRec keeps in the browser, read from inside the page, and its "Delete everything"
 * button driven from Playwright (the confirmation dialog accepted).
 */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { CACHE_PREFIX } from '../../../src/sw/precache-manifest.ts';

/** The origin's client-side storage as the page sees it. */
export interface KeptData {
  /** IndexedDB database names */
  databases: string[];
  /** Cache API cache names (the service worker's precache included) */
  caches: string[];
  cookie: string;
  localStorage: number;
  sessionStorage: number;
}

/** Read the page's storage (IndexedDB, Cache API, cookies, localStorage, sessionStorage). */
export function keptData(page: Page): Promise<KeptData> {
  return page.evaluate(async () => ({
    databases: (await indexedDB.databases()).map((d) => d.name ?? ''),
    caches: await caches.keys(),
    cookie: document.cookie,
    localStorage: localStorage.length,
    sessionStorage: sessionStorage.length,
  }));
}

/** The names in `kept` that hold LocalRec's data (every database, and any cache but the precache). */
export function localRecData(kept: KeptData): string[] {
  return [...kept.databases, ...kept.caches.filter((name) => !name.startsWith(CACHE_PREFIX))];
}

/** Press "Delete everything", accept the confirmation, and return the result line. */
export async function deleteEverything(page: Page): Promise<string> {
  page.once('dialog', (dialog) => void dialog.accept());
  await page.getByRole('button', { name: 'Delete everything' }).click();
  const line = page.locator('.erase-result');
  await expect.poll(() => line.count(), { timeout: 60_000 }).toBe(1);
  return (await line.textContent()) ?? '';
}
