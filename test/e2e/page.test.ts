/**
 * The built page in headless Chromium: add three movies through the UI, get a ranked list from the
 * SASRec worker on WebGPU (SwiftShader) and, with WebGPU off, on the CPU fallback; no request may
 * leave 127.0.0.1; the history survives a reload and Clear empties it.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireOrSkip } from '../helpers/require.ts';
import { chromiumInstalled, CHROMIUM_PATH, launchChromium, type LaunchedBrowser } from './helpers/browser.ts';
import { e2eModels, type E2eModels } from './helpers/models-dir.ts';
import { addMovies } from './helpers/page-actions.ts';
import { buildAndServe, type ServedPage } from './helpers/serve-page.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const MOVIES = ['Toy Story (1995)', 'Jumanji (1995)', 'Heat (1995)'];

const noChromium = requireOrSkip(
  chromiumInstalled(),
  `Chromium not found at ${CHROMIUM_PATH}; install it with .ci/setup-system.sh (apt-get install chromium)`,
);
const noGpuKernels = requireOrSkip(
  existsSync(`${root}src/gpu/gpu-ops.ts`),
  'src/gpu/gpu-ops.ts (WebGPU kernels) is not in this checkout, so the page cannot run on WebGPU',
);

/** Wait until the history panel reports no IndexedDB write in flight. */
async function savedToIndexedDb(page: Page): Promise<void> {
  const panel = page.locator('section[data-pending-writes]');
  await expect.poll(() => panel.getAttribute('data-pending-writes')).toBe('0');
}

/** Wait for a full list with attention-based reasons; return what the status line says. */
async function waitForRanking(page: Page) {
  const recs = page.getByRole('list', { name: 'Recommendations' }).getByRole('listitem');
  await expect.poll(() => recs.count(), { timeout: 120_000 }).toBe(20);
  await expect.poll(() => page.locator('.because').count(), { timeout: 120_000 }).toBeGreaterThan(0);
  const status = page.getByRole('status');
  return {
    text: (await status.textContent()) ?? '',
    backend: await status.getAttribute('data-backend'),
    inWorker: await status.getAttribute('data-in-worker'),
    titles: await recs.locator('.title').allTextContents(),
  };
}

describe.skipIf(noChromium)('LocalRec page in Chromium', () => {
  let served: ServedPage;
  let models: E2eModels;

  beforeAll(async () => {
    models = e2eModels(root);
    if (models.source === 'tiny-fixture') {
      console.warn(
        '[e2e] no trained model in models/registry.json; serving the tiny random fixture model instead',
      );
    }
    served = await buildAndServe(root, models.dir);
  });
  afterAll(async () => {
    await served?.close();
  });

  /** Open the page in a fresh browser, add MOVIES, wait for the ranking; check requests stayed local. */
  async function rankInBrowser(webgpu: boolean, screenshot: string, query = '') {
    const browser: LaunchedBrowser = await launchChromium({ webgpu });
    try {
      const requested: string[] = [];
      browser.context.on('request', (request) => requested.push(request.url()));
      const page = await browser.context.newPage();
      page.on('pageerror', (error) => console.error('[page error]', error));
      await page.goto(served.url + query);
      await addMovies(page, MOVIES);
      const result = await waitForRanking(page);
      const history = await page.getByRole('list', { name: 'History' }).locator('.title').allTextContents();
      await page.screenshot({ path: screenshot, fullPage: true });
      return { ...result, history, requested, workers: page.workers().length };
    } finally {
      await browser.close();
    }
  }

  function expectLocalOnly(requested: readonly string[]): void {
    expect(requested.length).toBeGreaterThan(0);
    // the worker's own fetches are recorded too: the model files only the worker asks for
    expect(requested.some((u) => u.endsWith('/weights.safetensors'))).toBe(true);
    const outside = requested.filter((u) => !u.startsWith(`${served.origin}/`) && !/^(data|blob):/.test(u));
    expect(outside).toEqual([]);
  }

  function screenshotPath(name: string): string {
    // refresh the README screenshot only when asked (UPDATE_SCREENSHOT=1) and with the trained model
    if (process.env.UPDATE_SCREENSHOT === '1' && models.source === 'repo')
      return `${root}docs/screenshot.png`;
    mkdirSync(`${root}test-results`, { recursive: true });
    return `${root}test-results/${name}.png`;
  }

  it('with WebGPU disabled, ranks three added movies on the CPU fallback in a worker', async () => {
    const run = await rankInBrowser(false, screenshotPath('page-cpu'));
    expect(run.history).toEqual(MOVIES);
    expect(run.backend, run.text).toBe('cpu');
    expect(run.inWorker).toBe('true');
    expect(run.workers).toBeGreaterThanOrEqual(1);
    expect(run.text).toMatch(/SASRec ran on cpu in a Web Worker: \d+(\.\d)? ms/);
    // the visible notice: Chromium without --enable-unsafe-webgpu has navigator.gpu but refuses the adapter
    expect(run.text).toMatch(
      /WebGPU not used: (no WebGPU adapter was offered|this browser exposes no navigator\.gpu)/,
    );
    expect(run.titles.filter((t) => MOVIES.includes(t))).toEqual([]);
    expectLocalOnly(run.requested);
  });

  it.skipIf(noGpuKernels)(
    'with --enable-unsafe-webgpu, ranks on the WebGPU backend in a worker',
    async () => {
      // 'auto' would calibrate and pick the CPU on SwiftShader; ask for WebGPU explicitly
      const run = await rankInBrowser(true, screenshotPath('page-webgpu'), '?backend=webgpu');
      expect(run.backend, run.text).toBe('webgpu');
      expect(run.inWorker).toBe('true');
      expect(run.text).toMatch(/SASRec ran on webgpu in a Web Worker: \d+(\.\d)? ms/);
      expect(run.titles).toHaveLength(20);
      expectLocalOnly(run.requested);
    },
  );

  it.skipIf(noGpuKernels)(
    "on 'auto' with WebGPU available, picks the backend by a calibration and says so",
    async () => {
      const run = await rankInBrowser(true, screenshotPath('page-auto'));
      expect(['cpu', 'webgpu']).toContain(run.backend);
      expect(run.text).toMatch(/(CPU was faster here|Chosen by calibration).*webgpu: full [\d.]+ ms/);
      expect(run.titles).toHaveLength(20);
      expectLocalOnly(run.requested);
    },
  );

  it('keeps the history in IndexedDB across a reload, exports it as JSON, and Clear empties it', async () => {
    const browser = await launchChromium({ webgpu: false });
    try {
      const page = await browser.context.newPage();
      await page.goto(served.url);
      await addMovies(page, MOVIES.slice(0, 1));
      // Enter adds the best match and clears the box
      const search = page.getByRole('searchbox', { name: 'Title' });
      await search.fill(MOVIES[1].replace(/ \(\d{4}\)$/, ''));
      await search.press('Enter');
      const history = page.getByRole('list', { name: 'History' }).getByRole('listitem');
      await expect.poll(() => history.locator('.title').allTextContents()).toEqual(MOVIES.slice(0, 2));
      expect(await search.inputValue()).toBe('');
      await savedToIndexedDb(page);
      await page.reload();
      await expect.poll(() => history.count(), { timeout: 30_000 }).toBe(2);
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Export', exact: true }).click(),
      ]);
      const exported = JSON.parse(readFileSync(await download.path(), 'utf8')) as {
        format: string;
        items: { key: string; title?: string }[];
      };
      expect(exported.format).toBe('localrec-history');
      expect(exported.items.map((i) => i.title)).toEqual(['Toy Story', 'Jumanji']);
      await page.getByRole('button', { name: `Remove ${MOVIES[0]}` }).click();
      await expect.poll(() => history.locator('.title').allTextContents()).toEqual([MOVIES[1]]);
      await page.getByRole('button', { name: 'Clear', exact: true }).click();
      await expect.poll(() => history.count()).toBe(0);
      await savedToIndexedDb(page);
      await page.reload();
      await expect.poll(() => page.getByLabel('Title').isEnabled(), { timeout: 60_000 }).toBe(true);
      expect(await history.count()).toBe(0);
      // no history: the most-rated movies of ml-latest-small (ratings.csv counts: 329, 317, 307), labelled
      const popular = page.getByRole('list', { name: 'Popular in this catalog — not personalised' });
      await expect
        .poll(() => popular.locator('.title').allTextContents())
        .toEqual(expect.arrayContaining(['Forrest Gump (1994)']));
      const titles = await popular.locator('.title').allTextContents();
      expect(titles.slice(0, 3)).toEqual([
        'Forrest Gump (1994)',
        'The Shawshank Redemption (1994)',
        'Pulp Fiction (1994)',
      ]);
      expect(titles).toHaveLength(10);
      // a popular item, then a recommended one, go into the history with their own Add buttons
      await page
        .getByRole('button', { name: 'Add Forrest Gump (1994) to your history', exact: true })
        .click();
      await expect.poll(() => history.locator('.title').allTextContents()).toEqual(['Forrest Gump (1994)']);
      const recs = page.getByRole('list', { name: 'Recommendations' }).getByRole('listitem');
      await expect.poll(() => recs.count(), { timeout: 120_000 }).toBe(20);
      const liked = (await recs.first().locator('.title').textContent()) ?? '';
      await recs
        .first()
        .getByRole('button', { name: `Add ${liked} to your history`, exact: true })
        .click();
      await expect
        .poll(() => history.locator('.title').allTextContents())
        .toEqual(['Forrest Gump (1994)', liked]);
      // the next list leaves out what the history holds
      await expect
        .poll(() => recs.locator('.title').allTextContents(), { timeout: 120_000 })
        .not.toContain(liked);
    } finally {
      await browser.close();
    }
  });
});
