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

/** A worker request's outcome as the page saw it: result or "Name: message", and its round trip. */
export interface TimedRequest<R> {
  result?: R;
  error?: string;
  /** page-side round trip, ms (performance.now) */
  ms: number;
}

/**
 * Send one request to the page's SASRec worker through `globalThis.localrecDiagnostics.client`
 * (the page must be opened with `?diagnostics`) and time it in the page; never rejects for the
 * worker's own errors (they come back as `error`).
 */
export function timedRequestInPage<R>(
  page: Page,
  kind: string,
  params: object = {},
): Promise<TimedRequest<R>> {
  return page.evaluate(
    async ({ kind, params }) => {
      type Rpc = { request(kind: string, params: object): Promise<unknown> };
      const diagnostics = (globalThis as unknown as { localrecDiagnostics?: { client: Rpc } })
        .localrecDiagnostics;
      if (!diagnostics) throw new Error('open the page with ?diagnostics to reach its worker');
      const started = performance.now();
      try {
        const result = await diagnostics.client.request(kind, params);
        return { result, ms: performance.now() - started };
      } catch (error) {
        const e = error as Error;
        return { error: `${e.name}: ${e.message}`, ms: performance.now() - started };
      }
    },
    { kind, params },
  ) as Promise<TimedRequest<R>>;
}

/** `timedRequestInPage`'s result; rejects with the worker's "Name: message" when it failed. */
export async function requestInPage<R>(page: Page, kind: string, params: object = {}): Promise<R> {
  const { result, error } = await timedRequestInPage<R>(page, kind, params);
  if (error !== undefined) throw new Error(error);
  return result as R;
}
