/**
 * Driving the built LocalRec page from Playwright: adding movies through the search UI, and sending
 * worker requests through the rpc client the page exposes under `?diagnostics` (src/main.ts).
 */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/** Type the title, press "Add <label>" for each movie. */
export async function addMovies(page: Page, labels: readonly string[]): Promise<void> {
  const search = page.getByLabel('Title');
  await expect.poll(() => search.isEnabled(), { timeout: 60_000 }).toBe(true);
  for (const label of labels) {
    await search.fill(label.replace(/ \(\d{4}\)$/, ''));
    await page.getByRole('button', { name: `Add ${label}`, exact: true }).click();
  }
}

/**
 * Send one request to the page's SASRec worker through `globalThis.localrecDiagnostics.client`
 * (the page must be opened with `?diagnostics`); resolves with the worker's result.
 */
export function requestInPage<R>(page: Page, kind: string, params: object = {}): Promise<R> {
  return page.evaluate(
    async ({ kind, params }) => {
      type Rpc = { request(kind: string, params: object): Promise<unknown> };
      const diagnostics = (globalThis as unknown as { localrecDiagnostics?: { client: Rpc } })
        .localrecDiagnostics;
      if (!diagnostics) throw new Error('open the page with ?diagnostics to reach its worker');
      return diagnostics.client.request(kind, params);
    },
    { kind, params },
  ) as Promise<R>;
}
