/**
 * Device loss in the page (headless Chromium, SASRec worker on WebGPU / SwiftShader): the worker's
 * device is destroyed through `sasrec.loseDevice` as a driver reset would lose it. The next ranking the
 * UI asks for fails with the named DeviceLostError (shown on the status line) while the worker
 * re-creates the device and reloads the weights; the page sends it again and shows the list from
 * WebGPU, and the same history then ranks exactly as before the loss. The re-created device compiles
 * the lost one's pipelines in the background: the figures time the first ranking sent at once and the
 * first ranking sent once that warm-up is done.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type {
  SasrecLoseDeviceResult,
  SasrecRankResult,
  SasrecStatsResult,
} from '../../src/protocol/messages-sasrec.ts';
import { requireOrSkip } from '../helpers/require.ts';
import { chromiumInstalled, CHROMIUM_PATH, launchChromium } from './helpers/browser.ts';
import { addMovies, requestInPage, timedRequestInPage } from './helpers/page-actions.ts';
import { servedForSuite } from './helpers/served-suite.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const noChromium = requireOrSkip(
  chromiumInstalled(),
  `Chromium not found at ${CHROMIUM_PATH}; install it with .ci/setup-system.sh (apt-get install chromium)`,
);
const FIXED = { history: [1, 5, 9, 14, 20], k: 10 };

describe.skipIf(noChromium)('a lost WebGPU device in the page', () => {
  const served = servedForSuite(root);

  it('fails the request by name, re-creates the device, shows the error, ranks on the second try and as before', async () => {
    const browser = await launchChromium({ webgpu: true });
    try {
      const page = await browser.context.newPage();
      await page.goto(`${served().url}?backend=webgpu&diagnostics`);
      const status = page.getByRole('status');
      await expect.poll(() => status.getAttribute('data-backend'), { timeout: 120_000 }).toBe('webgpu');
      const recs = page.getByRole('list', { name: 'Recommendations' }).getByRole('listitem');
      await addMovies(page, ['Toy Story (1995)']);
      await expect.poll(() => recs.count(), { timeout: 120_000 }).toBe(20);
      const before = await requestInPage<SasrecRankResult>(page, 'sasrec.rank', FIXED);
      expect(await status.getByRole('alert').count()).toBe(0);

      const lost = await requestInPage<SasrecLoseDeviceResult>(page, 'sasrec.loseDevice');
      expect(lost).toEqual({ backend: 'webgpu', destroyed: true });
      await addMovies(page, ['Jumanji (1995)']); // the UI's next ranking meets the lost device

      const notice = status.getByRole('alert');
      await expect
        .poll(() => notice.textContent(), { timeout: 120_000 })
        .toMatch(
          /^DeviceLostError: The WebGPU device was lost \(destroyed\) during sasrec\.rank; LocalRec re-created the WebGPU device and reloaded the model on it\. Send the request again\. LocalRec sent it again\.$/,
        );
      expect(await status.getAttribute('data-backend')).toBe('webgpu');
      await expect.poll(() => recs.count(), { timeout: 120_000 }).toBe(20);
      const titles = await recs.locator('.title').allTextContents();
      expect(titles).not.toContain('Jumanji (1995)'); // the second try ranked the new history (history excluded)

      const after = await requestInPage<SasrecRankResult>(page, 'sasrec.rank', FIXED);
      expect(after.backend).toBe('webgpu');
      expect(after.ids).toEqual(before.ids);
      expect(after.scores).toEqual(before.scores); // same kernels on the new device: bit-identical

      // figures (reported, not asserted): a ranking on a live device, then one that meets a lost
      // device — its time is the failed try + re-creating the device + uploading the weights again
      const ranks: number[] = []; // [5] ms
      for (let i = 0; i < 5; i++) ranks.push((await timedRequestInPage(page, 'sasrec.rank', FIXED)).ms);
      await requestInPage(page, 'sasrec.loseDevice');
      const failed = await timedRequestInPage(page, 'sasrec.rank', FIXED);
      expect(failed.error).toMatch(/^DeviceLostError: .*re-created the WebGPU device/);
      const next = await timedRequestInPage<SasrecRankResult>(page, 'sasrec.rank', FIXED);
      expect(next.result?.ids).toEqual(before.ids);
      // again, but the first ranking waits until the background warm-up is done
      await requestInPage(page, 'sasrec.loseDevice');
      expect((await timedRequestInPage(page, 'sasrec.rank', FIXED)).error).toMatch(/^DeviceLostError: /);
      const lostAt = Date.now();
      const warmUp = () => requestInPage<SasrecStatsResult>(page, 'sasrec.stats').then((s) => s.warmUp);
      await expect.poll(() => warmUp().then((w) => w?.done), { timeout: 60_000, interval: 20 }).toBe(true);
      const warmUpMs = Date.now() - lostAt; // within the poll's 20 ms interval
      const warmed = await warmUp();
      expect(warmed?.compiled).toBeGreaterThan(0);
      const warm = await timedRequestInPage<SasrecRankResult>(page, 'sasrec.rank', FIXED);
      expect(warm.result?.ids).toEqual(before.ids);
      const median = [...ranks].sort((a, b) => a - b)[2];
      const figures = {
        rankMs: median,
        lostRankWithRecreateMs: failed.ms,
        firstRankAtOnceMs: next.ms,
        warmUpMs,
        warmUp: warmed,
        firstRankAfterWarmUpMs: warm.ms,
      };
      console.log(`[device loss] ${JSON.stringify(figures)}`);
    } finally {
      await browser.close();
    }
  });
});
