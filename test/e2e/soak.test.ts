/**
 * Soak: 1,000 rapid rank requests against the page's SASRec worker on WebGPU (SwiftShader), in
 * bursts of 10 where each newer request cancels the older ones. No request may fail with anything
 * but CancelledError. The worker's live GPU buffers, sampled every 100 requests, may grow while the
 * buffer pool meets new size classes (histories of 1–50 items) and must then stay flat over the
 * second half; the page's JS heap (after a forced GC) must stay within 4 MB and the worker's within 1 MB
 * between the first and the last 100 requests; the final ranking equals a fresh page's.
 * Figures are printed for docs/BENCHMARKS.md.
 */
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { requireOrSkip } from '../helpers/require.ts';
import { chromiumInstalled, CHROMIUM_PATH, launchChromium } from './helpers/browser.ts';
import { attachWorkerHeaps, pageHeapAfterGc } from './helpers/heap.ts';
import { requestInPage } from './helpers/page-actions.ts';
import { servedForSuite } from './helpers/served-suite.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const noChromium = requireOrSkip(
  chromiumInstalled(),
  `Chromium not found at ${CHROMIUM_PATH}; install it with .ci/setup-system.sh (apt-get install chromium)`,
);
const FIXED_HISTORY = [1, 5, 9, 14, 20];

/** What one soak phase returns from the page. */
interface Phase {
  resolved: number;
  cancelled: number;
  failures: string[];
  liveGpuBuffers: number | null;
  liveGpuBytes: number | null;
}

/** Open the page with the rpc client exposed, on WebGPU, and wait for the model. */
async function openPage(page: Page, url: string): Promise<void> {
  await page.goto(`${url}?backend=webgpu&diagnostics`);
  const status = page.getByRole('status');
  await expect.poll(() => status.getAttribute('data-backend'), { timeout: 120_000 }).toBe('webgpu');
}

/** Run `bursts` bursts of 10 rank requests with seeded random histories (ids 1..30) in the page. */
function soak(page: Page, bursts: number, seed: number): Promise<Phase> {
  return page.evaluate(
    async ({ bursts, seed }) => {
      type Rpc = { request(kind: string, params: object): Promise<unknown> };
      const { client } = (globalThis as unknown as { localrecDiagnostics: { client: Rpc } })
        .localrecDiagnostics;
      let state = seed >>> 0;
      const next = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
      const phase = { resolved: 0, cancelled: 0, failures: [] as string[] };
      for (let b = 0; b < bursts; b++) {
        const pending = Array.from({ length: 10 }, () => {
          const history = Array.from(
            { length: 1 + Math.floor(next() * 50) },
            () => 1 + Math.floor(next() * 30),
          );
          return client.request('sasrec.rank', { history, k: 10 });
        });
        for (const outcome of await Promise.allSettled(pending)) {
          if (outcome.status === 'fulfilled') phase.resolved++;
          else if ((outcome.reason as Error).name === 'CancelledError') phase.cancelled++;
          else phase.failures.push(String(outcome.reason));
        }
      }
      const stats = (await client.request('sasrec.stats', {})) as {
        liveGpuBuffers: number | null;
        liveGpuBytes: number | null;
      };
      return { ...phase, ...stats };
    },
    { bursts, seed },
  );
}

/** Rank FIXED_HISTORY once in the page. */
function rankFixed(page: Page): Promise<{ ids: number[]; scores: number[] }> {
  return requestInPage(page, 'sasrec.rank', { history: FIXED_HISTORY, k: 10 });
}

describe.skipIf(noChromium)('soak: 1,000 cancelled-and-superseded rank requests', () => {
  const served = servedForSuite(root);

  it('has no errors, flat GPU buffers and heap, and ends with a fresh page’s ranking', async () => {
    const browser = await launchChromium({ webgpu: true });
    try {
      const page = await browser.context.newPage();
      await openPage(page, served().url);
      const workerHeaps = await attachWorkerHeaps(page);
      const warm = await soak(page, 10, 1); // requests 1–100
      const heapWarm = await pageHeapAfterGc(page);
      const workerWarm = await workerHeaps.afterGc();
      const body: Phase[] = []; // requests 101–900, GPU buffers sampled every 100
      for (let p = 0; p < 8; p++) body.push(await soak(page, 10, 2 + p));
      const last = await soak(page, 10, 10); // requests 901–1000
      const heapEnd = await pageHeapAfterGc(page);
      const workerEnd = await workerHeaps.afterGc();
      await workerHeaps.detach();
      const finalRank = await rankFixed(page);

      const fresh = await browser.context.newPage();
      await openPage(fresh, served().url);
      const freshRank = await rankFixed(fresh);

      const phases = [warm, ...body, last];
      const figures = {
        requests: phases.reduce((n, p) => n + p.resolved + p.cancelled + p.failures.length, 0),
        resolved: phases.reduce((n, p) => n + p.resolved, 0),
        cancelled: phases.reduce((n, p) => n + p.cancelled, 0),
        gpuBuffers: phases.map((p) => p.liveGpuBuffers),
        gpuBytes: [warm.liveGpuBytes, last.liveGpuBytes],
        heapBytes: [heapWarm, heapEnd],
        workerHeapBytes: [workerWarm, workerEnd],
      };
      console.log(`[soak] ${JSON.stringify(figures)}`);
      expect(phases.flatMap((p) => p.failures)).toEqual([]);
      expect(figures.requests).toBe(1000);
      expect(figures.resolved).toBeGreaterThanOrEqual(100); // the last of every burst resolves
      const secondHalf = phases.slice(5).map((p) => p.liveGpuBuffers ?? NaN); // after requests 600, …, 1000
      expect(new Set(secondHalf).size, `GPU buffers ${figures.gpuBuffers.join(', ')}`).toBe(1);
      expect(secondHalf[0]).toBeLessThanOrEqual(2 * (warm.liveGpuBuffers ?? NaN));
      expect(heapEnd).toBeLessThanOrEqual(heapWarm + 4 * 2 ** 20);
      expect(workerEnd).toHaveLength(workerWarm.length);
      // the worker's heap is ~2 MB: a leak of 1 KB per request would add ~0.9 MB
      workerWarm.forEach((warmBytes, w) => expect(workerEnd[w]).toBeLessThanOrEqual(warmBytes + 2 ** 20));
      expect(finalRank.ids).toEqual(freshRank.ids);
      finalRank.scores.forEach((s, i) => expect(Math.abs(s - freshRank.scores[i])).toBeLessThan(1e-4));
    } finally {
      await browser.close();
    }
  });
});
