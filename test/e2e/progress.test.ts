/**
 * Progress bars with Cancel for the model load, in Chromium: a first visit on WebGPU (SwiftShader)
 * shows the download into the store (bytes), the worker reading the files, the weights going to the
 * GPU (bytes) and the shader compile, each as a step of the Models panel's bar; a Cancel while the
 * default model downloads, or while the worker reads it (its `fetch` step, held at the server), leaves
 * the model in use before it ranking (and still chosen).
 */
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { launchChromium, noChromium } from './helpers/browser.ts';
import { e2eModels } from './helpers/models-dir.ts';
import { PICKED, usePickedBundle, withPage } from './helpers/models-panel.ts';
import { addMovies } from './helpers/page-actions.ts';
import { servedForSuite } from './helpers/served-suite.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** One state of a progress bar as the page drew it. */
interface Seen {
  stage: string;
  label: string;
  value: number | null;
  max: number | null;
}

/** Before any page script: record every progress bar state the page draws (MutationObserver). */
async function recordProgressBars(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const seen: Seen[] = [];
    (globalThis as unknown as { progressSeen: Seen[] }).progressSeen = seen;
    const record = () => {
      for (const bar of document.querySelectorAll<HTMLElement>('[role="group"][data-stage]')) {
        const progress = bar.querySelector('progress');
        seen.push({
          stage: bar.dataset.stage ?? '',
          label: bar.getAttribute('aria-label') ?? '',
          value: progress?.hasAttribute('value') ? progress.value : null,
          max: progress?.hasAttribute('value') ? progress.max : null,
        });
      }
    };
    new MutationObserver(record).observe(document, { subtree: true, childList: true, attributes: true });
  });
}

describe.skipIf(noChromium())('model load progress', () => {
  const served = servedForSuite(root);
  const { modelId } = e2eModels(root);

  it('shows download, read, weights-to-GPU and shader-compile steps with figures on a first visit', async () => {
    const browser = await launchChromium({ webgpu: true });
    try {
      const page = await browser.context.newPage();
      await recordProgressBars(page);
      await page.goto(`${served().url}?backend=webgpu`);
      const status = page.getByRole('status');
      await expect.poll(() => status.getAttribute('data-backend'), { timeout: 120_000 }).toBe('webgpu');
      const seen = await page.evaluate(
        () => (globalThis as unknown as { progressSeen: Seen[] }).progressSeen,
      );
      const stages = seen.map((s) => s.stage).filter((s, i, all) => s !== all[i - 1]);
      expect(stages).toEqual(['download', 'fetch', 'backend', 'upload', 'compile']);
      const last = (stage: string) => seen.filter((s) => s.stage === stage).at(-1)!;
      for (const stage of ['download', 'upload']) {
        expect(last(stage).max).toBeGreaterThan(0);
        expect(last(stage).value).toBe(last(stage).max); // every byte counted
      }
      expect(last('download').label).toBe(`Loading ${modelId}: Downloading into this browser`);
      expect(last('upload').label).toBe(`Loading ${modelId}: Uploading weights to the GPU…`);
      expect(last('compile').label).toBe(`Loading ${modelId}: Compiling shaders (first ranking on WebGPU)…`);
      expect(await page.locator('[role="group"][data-stage]').count()).toBe(0); // done: no bar left
    } finally {
      await browser.close();
    }
  });

  it('a Cancel during the download leaves the model in use before it (it ranks and stays chosen)', () =>
    withPage(
      async (page) => {
        await usePickedBundle(page, served().url, root);
        const status = page.getByRole('status');
        // the default's files leave the store, and the server holds its weights back until the test ends
        await page.evaluate(async (model) => {
          const cache = await caches.open('localrec-models');
          for (const r of await cache.keys()) if (r.url.includes(`/${model}%2F`)) await cache.delete(r);
        }, modelId);
        let release: (() => Promise<void>) | undefined;
        await page.route('**/weights.safetensors', (route) => void (release = () => route.abort()));

        await page.getByRole('button', { name: 'Back to the default model' }).click();
        const bar = page.locator('[role="group"][data-stage="download"]');
        await expect.poll(() => bar.count(), { timeout: 30_000 }).toBe(1);
        await bar.getByRole('button', { name: 'Cancel' }).click();
        const alert = page.getByRole('region', { name: 'Models' }).getByRole('alert');
        await expect
          .poll(() => alert.textContent(), { timeout: 30_000 })
          .toBe('Cancelled; nothing was kept.');
        expect(await status.textContent()).toContain(`Model ${PICKED} ready`);
        expect(await page.locator('.chosen').textContent()).toContain(PICKED);
        await addMovies(page, ['Toy Story (1995)', 'Jumanji (1995)']);
        const recs = page.getByRole('list', { name: 'Recommendations' }).getByRole('listitem');
        await expect.poll(() => recs.count(), { timeout: 60_000 }).toBe(20);
        await release?.();
      },
      { blockServiceWorkers: true },
    ));

  it('a Cancel during a worker step (fetch) leaves the model in use before it', () =>
    withPage(
      async (page) => {
        await usePickedBundle(page, served().url, root);
        const status = page.getByRole('status');
        // the page's own read of the default manifest (download step) passes; the worker's is held
        let manifestReads = 0;
        let release: (() => Promise<void>) | undefined;
        await page.context().route(`**/models/${modelId}/manifest.json`, (route) => {
          if (++manifestReads === 1) return void route.continue();
          release = () => route.continue();
        });

        await page.getByRole('button', { name: 'Back to the default model' }).click();
        const bar = page.locator('[role="group"][data-stage="fetch"]');
        await expect.poll(() => bar.count(), { timeout: 30_000 }).toBe(1);
        expect(manifestReads).toBe(2); // the worker is waiting for its file
        await bar.getByRole('button', { name: 'Cancel' }).click();
        const alert = page.getByRole('region', { name: 'Models' }).getByRole('alert');
        await expect
          .poll(() => alert.textContent(), { timeout: 30_000 })
          .toBe('Cancelled; the model loaded before stays in use.');
        await release?.(); // the held file arrives after the Cancel: it must not switch the model
        expect(await status.textContent()).toContain(`Model ${PICKED} ready`);
        expect(await page.locator('.chosen').textContent()).toContain(PICKED);
        await addMovies(page, ['Toy Story (1995)', 'Jumanji (1995)']);
        const recs = page.getByRole('list', { name: 'Recommendations' }).getByRole('listitem');
        await expect.poll(() => recs.count(), { timeout: 60_000 }).toBe(20);
        expect(await page.locator('.chosen').textContent()).toContain(PICKED);
      },
      { blockServiceWorkers: true },
    ));
});
