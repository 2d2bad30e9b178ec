/**
 * Widget iframe mode in Chromium (CPU backend): a host page on another origin, whose CSP allows
 * no script from the widget origin (frames only), embeds public/embed-frame.html four times and
 * talks to the frames by postMessage:
 *  - it sends the viewed items after `local-rec:frame-ready`, the frames rank and show them;
 *  - absurd attributes are clamped with a visible note (count=-5 → 1 item);
 *  - a click in a frame reaches the host as `local-rec:select`;
 *  - a missing catalog reaches the host as `local-rec:error` and is shown in the frame;
 *  - a frame told another parent origin never talks to this host and ignores its messages.
 */
import { fileURLToPath } from 'node:url';
import type { FrameLocator, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { requireOrSkip } from '../helpers/require.ts';
import { chromiumInstalled, CHROMIUM_PATH, launchChromium, type LaunchedBrowser } from './helpers/browser.ts';
import { serveHtml, type ServedHtml } from './helpers/serve-html.ts';
import { servedForSuite } from './helpers/served-suite.ts';
import { VIEWED, shownTitles } from './helpers/widget-page.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

const noChromium = requireOrSkip(
  chromiumInstalled(),
  `Chromium not found at ${CHROMIUM_PATH}; install it with .ci/setup-system.sh (apt-get install chromium)`,
);

/** One message the host received: which frame sent it, from which origin, and what. */
interface Received {
  frame: string | undefined;
  origin: string;
  data: { type?: string; detail?: Record<string, unknown> };
}

/** Host page embedding the frames; it logs every message into `window.received`. */
function hostPage(widgetOrigin: string, hostOrigin: string): string {
  const frame = (id: string, query: string) =>
    `<iframe id="${id}" width="320" height="400" src="${widgetOrigin}/embed-frame.html?${query}"></iframe>`;
  const parent = `parent=${encodeURIComponent(hostOrigin)}`;
  return `<!doctype html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; frame-src ${widgetOrigin}">
<link rel="icon" href="data:,"></head>
<body><h1>Another site (iframe mode)</h1>
${frame('four', `${parent}&count=4`)}
${frame('negative', `${parent}&count=-5&theme=dark`)}
${frame('nocatalog', `${parent}&catalog=missing/catalog.bin`)}
${frame('stranger', `parent=${encodeURIComponent('https://elsewhere.example')}&count=3`)}
<script>
  window.received = [];
  const frames = [...document.querySelectorAll('iframe')];
  addEventListener('message', (event) => {
    const frame = frames.find((f) => f.contentWindow === event.source)?.id;
    window.received.push({ frame, origin: event.origin, data: event.data });
    if (event.data?.type === 'local-rec:frame-ready')
      event.source.postMessage({ type: 'local-rec:history', keys: ${JSON.stringify(VIEWED)} }, ${JSON.stringify(widgetOrigin)});
  });
  // the frame that expects another parent gets the same message; it must ignore it
  document.getElementById('stranger').addEventListener('load', (event) =>
    event.target.contentWindow.postMessage({ type: 'local-rec:history', keys: ${JSON.stringify(VIEWED)} }, '*'),
  );
</script></body></html>`;
}

/** Titles listed in the frame once it shows `count` items. */
function frameTitles(frame: FrameLocator, count: number): Promise<string[]> {
  return shownTitles(frame.locator('local-rec .title'), count);
}

const received = (page: Page) =>
  page.evaluate(() => (window as unknown as { received: Received[] }).received);
const typesFrom = async (page: Page, frame: string) =>
  (await received(page)).filter((m) => m.frame === frame).map((m) => m.data.type);

describe.skipIf(noChromium)('<local-rec> iframe mode', () => {
  const served = servedForSuite(root);
  let host: ServedHtml | undefined;
  let browser: LaunchedBrowser | undefined;
  afterAll(async () => {
    await browser?.close();
    await host?.close();
  });

  // retried: in full-suite runs (session 8) the frames sometimes never showed their list within the
  // polls' 60 s (4 of 6 runs; never when the file runs alone, with or without CPU load). The likely cause,
  // four frames storing the same model file through one shared temp key, is fixed (1fab230); drop the retry
  // once full-suite runs stay green without it. A retry starts from a new host and browser.
  it(
    'a host on another origin drives the frames by postMessage, with origin checks',
    { retry: 2 },
    async () => {
      await browser?.close();
      await host?.close();
      // the host's own origin is only known once it listens: serve, then set the page
      let html = '';
      host = await serveHtml('');
      host.server.removeAllListeners('request');
      host.server.on('request', (_req, res) => {
        res.setHeader('Content-Type', 'text/html; charset=utf-8');
        res.end(html);
      });
      html = hostPage(served().origin, host.origin);

      browser = await launchChromium({ webgpu: false });
      const page = await browser.context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(String(error)));
      await page.goto(`${host.origin}/`);

      const four = await frameTitles(page.frameLocator('#four'), 4);
      const one = await frameTitles(page.frameLocator('#negative'), 1);
      expect(one).toEqual(four.slice(0, 1)); // same model, same history
      expect(four.filter((t) => /^(Toy Story|Jumanji|Heat) \(1995\)$/.test(t))).toEqual([]);
      expect(
        await page.frameLocator('#negative').locator('local-rec [role="note"]').allTextContents(),
      ).toEqual(['count="-5" is below 1; showing 1 item.']);

      // missing catalog: an error in the frame and a local-rec:error at the host
      const problem = page.frameLocator('#nocatalog').locator('local-rec [role="alert"]');
      await expect.poll(() => problem.count(), { timeout: 60_000 }).toBe(1);
      expect(await problem.textContent()).toMatch(/catalog/i);
      await expect.poll(() => typesFrom(page, 'nocatalog'), { timeout: 30_000 }).toContain('local-rec:error');

      // a click in a frame reaches the host as local-rec:select with key and title
      await page.frameLocator('#four').locator('local-rec button.item').nth(2).click();
      await expect.poll(() => typesFrom(page, 'four'), { timeout: 30_000 }).toContain('local-rec:select');
      const all = await received(page);
      const select = all.find((m) => m.frame === 'four' && m.data.type === 'local-rec:select');
      expect(four[2]).toContain(String(select?.data.detail?.title));
      expect(String(select?.data.detail?.key)).toMatch(/^\d+$/);
      expect(await typesFrom(page, 'four')).toEqual([
        'local-rec:frame-ready',
        'local-rec:ready',
        'local-rec:select',
      ]);
      const ready = all.find((m) => m.frame === 'four' && m.data.type === 'local-rec:ready');
      expect(ready?.data.detail).toMatchObject({ backend: 'cpu' });
      expect(all.every((m) => m.origin === served().origin)).toBe(true);

      // the frame bound to another parent: nothing reaches this host, and our history was ignored
      expect(await typesFrom(page, 'stranger')).toEqual([]);
      const stranger = page.frameLocator('#stranger');
      await expect
        .poll(() => stranger.locator('.local-rec[data-ready="true"]').count(), { timeout: 60_000 })
        .toBe(1);
      // its history is still empty although the host posted VIEWED to it on load
      expect(await stranger.locator('local-rec .muted').first().textContent()).toBe(
        'Browse a few items to get recommendations here.',
      );
      expect(await stranger.locator('local-rec .title').count()).toBe(0);
      expect(errors).toEqual([]);
    },
  );
});
