/**
 * The user's own model across visits, in Chromium: a picked SASRec bundle that is in use is loaded
 * again after a reload (from the model store, not the default), "Back to the default model" returns
 * to the default for this and later visits, and a remembered model that has gone from the store
 * falls back to the default with a notice. The choice lives in IndexedDB (`localrec-settings`),
 * never in cookies or localStorage.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { noChromium } from './helpers/browser.ts';
import { e2eModels } from './helpers/models-dir.ts';
import { PICKED, readyStatus, storedModels, usePickedBundle, withPage } from './helpers/models-panel.ts';
import { servedForSuite } from './helpers/served-suite.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe.skipIf(noChromium())('the user’s model across visits', () => {
  const served = servedForSuite(root);
  const defaultId = e2eModels(root).modelId;

  it('reload loads the picked model from the store; "Back to the default model" returns to the default for good', () =>
    withPage(async (page) => {
      const requests: string[] = [];
      page.on('request', (request) => void requests.push(request.url()));
      await usePickedBundle(page, served().url, root);
      const before = requests.length;

      await page.reload();
      expect(await readyStatus(page)).toContain(`Model ${PICKED} ready`);
      await expect
        .poll(() => page.locator('.chosen').textContent())
        .toMatch(new RegExp(`In use: your model\\s+${PICKED}`));
      // the choice is in IndexedDB; nothing about it in cookies or localStorage
      const kept = await page.evaluate(async () => ({
        databases: (await indexedDB.databases()).map((d) => d.name),
        localStorage: localStorage.length,
        cookie: document.cookie,
      }));
      expect(kept.databases).toContain('localrec-settings');
      expect(kept.localStorage).toBe(0);
      expect(kept.cookie).toBe('');
      // the picked bundle came from the store: no weight file went over the network after the reload
      expect(requests.slice(before).filter((u) => u.endsWith('weights.safetensors'))).toEqual([]);

      await page.getByRole('button', { name: 'Back to the default model' }).click();
      await expect
        .poll(() => page.getByRole('status').textContent(), { timeout: 60_000 })
        .toContain(`Model ${defaultId} ready`);
      // the choice is forgotten (IndexedDB) right after the default model is ready
      await expect.poll(() => page.locator('.chosen').count()).toBe(0);
      await page.reload();
      expect(await readyStatus(page)).toContain(`Model ${defaultId} ready`);
      expect(await page.locator('.chosen').count()).toBe(0);
      // the picked bundle stays stored until the user deletes it
      expect(await storedModels(page).count()).toBe(2);
    }));

  it('a remembered model that has gone from the store falls back to the default with a notice', () =>
    withPage(async (page) => {
      await usePickedBundle(page, served().url, root);
      const removed = await page.evaluate(async () => {
        const cache = await caches.open('localrec-models');
        const local = (await cache.keys()).filter((r) => /\/local-[0-9a-f]{16}%2F/.test(r.url));
        for (const request of local) await cache.delete(request);
        return local.length;
      });
      expect(removed).toBeGreaterThan(0);

      await page.reload();
      expect(await readyStatus(page)).toContain(`Model ${defaultId} ready`);
      const alert = page.getByRole('region', { name: 'Models' }).getByRole('alert');
      await expect
        .poll(() => alert.textContent(), { timeout: 30_000 })
        .toMatch(
          new RegExp(
            `^Your model ${PICKED} could not be loaded from this browser's store \\(.+\\); LocalRec uses the default model ${defaultId} instead\\.`,
          ),
        );
      expect(await page.locator('.chosen').count()).toBe(0);
      // forgotten: the next visit is quiet
      await page.reload();
      expect(await readyStatus(page)).toContain(`Model ${defaultId} ready`);
      expect(await page.getByRole('region', { name: 'Models' }).getByRole('alert').count()).toBe(0);
    }));
});
