/**
 * The <local-rec> widget in Chromium (CPU backend):
 *  - same origin: public/embed-demo.html renders two widgets in their shadow roots, host and
 *    widget styles do not cross, a click fires local-rec:select, both widgets share ONE worker,
 *    which keeps the model in the page's model store (read from there on the next visit);
 *  - cross origin: a host page on another 127.0.0.1 port (with a strict CSP) loads widget.js from
 *    the build's origin; the worker and the models come from that origin, absurd attributes are
 *    clamped with a visible note, and no request goes anywhere but the two local origins.
 */
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { requireOrSkip } from '../helpers/require.ts';
import { chromiumInstalled, CHROMIUM_PATH, launchChromium, type LaunchedBrowser } from './helpers/browser.ts';
import { e2eModels } from './helpers/models-dir.ts';
import { serveHtml } from './helpers/serve-html.ts';
import { servedForSuite } from './helpers/served-suite.ts';
import { VIEWED, shownTitles } from './helpers/widget-page.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

const noChromium = requireOrSkip(
  chromiumInstalled(),
  `Chromium not found at ${CHROMIUM_PATH}; install it with .ci/setup-system.sh (apt-get install chromium)`,
);

/** Titles listed inside widget `#id` once it shows `count` items. */
function widgetTitles(page: Page, id: string, count: number): Promise<string[]> {
  return shownTitles(page.locator(`#${id} .title`), count);
}

/** Computed style properties of the first element matching `selector` (pierces open shadow roots). */
function styleOf(page: Page, selector: string, props: readonly string[]): Promise<Record<string, string>> {
  return page
    .locator(selector)
    .first()
    .evaluate((el, names) => {
      const style = getComputedStyle(el);
      return Object.fromEntries(names.map((n) => [n, style.getPropertyValue(n)]));
    }, props);
}

/** The host page of the cross-origin test: widget.js and everything it loads come from `widgetOrigin`. */
function hostPage(widgetOrigin: string): string {
  const csp = [
    "default-src 'none'",
    // the CPU backend assembles a WebAssembly module at run time
    `script-src 'unsafe-inline' 'wasm-unsafe-eval' ${widgetOrigin}`,
    // the Blob worker's own imports are checked against worker-src, not script-src
    `worker-src blob: ${widgetOrigin}`,
    `connect-src ${widgetOrigin}`,
    "style-src 'unsafe-inline'",
  ].join('; ');
  return `<!doctype html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<link rel="icon" href="data:,">
<script type="module" src="${widgetOrigin}/widget.js"></script></head>
<body><h1>Another site</h1>
<local-rec id="four" count="4"></local-rec>
<local-rec id="absurd" count="100000" theme="neon"></local-rec>
<script>
  // a classic script runs before the deferred widget.js module defines <local-rec>: the element
  // must pick up the history set on it before its upgrade
  for (const el of document.querySelectorAll('local-rec')) el.history = ${JSON.stringify(VIEWED)};
</script></body></html>`;
}

describe.skipIf(noChromium)('<local-rec> widget', () => {
  const served = servedForSuite(root);
  let browser: LaunchedBrowser | undefined;
  afterAll(async () => {
    await browser?.close();
  });

  it('embed demo: two widgets in shadow roots, isolated styles, select events, one shared worker', async () => {
    browser = await launchChromium({ webgpu: false });
    const page = await browser.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    const workers: string[] = [];
    page.on('worker', (worker) => workers.push(worker.url()));
    await page.goto(`${served().url}embed-demo.html`);

    const ready = page.locator('#ready-log');
    await expect
      .poll(() => ready.textContent(), { timeout: 60_000 })
      .toMatch(/#light ready.*#dark ready|#dark ready.*#light ready/);
    for (const title of ['Toy Story', 'Jumanji', 'Heat'])
      await page.locator('#catalog').getByRole('button', { name: title }).click();
    const light = await widgetTitles(page, 'light', 5);
    const dark = await widgetTitles(page, 'dark', 3);
    expect(dark).toEqual(light.slice(0, 3)); // same model, same history
    expect(light.filter((t) => /^(Toy Story|Jumanji|Heat) \(1995\)$/.test(t))).toEqual([]);
    expect(
      await page.evaluate(() => [...document.querySelectorAll('local-rec')].map((el) => !!el.shadowRoot)),
    ).toEqual([true, true]);
    // nothing of the widget is in the light DOM
    expect(await page.evaluate(() => document.querySelectorAll('.title, .item, style').length)).toBe(1);

    // host CSS (serif, dark red, yellow square buttons, uppercase li) does not reach inside
    const item = await styleOf(page, '#light button.item', [
      'font-family',
      'background-color',
      'border-radius',
      'text-transform',
    ]);
    expect(item['font-family']).toContain('system-ui');
    expect(item['background-color']).toBe('rgba(0, 0, 0, 0)');
    expect(item['border-radius']).toBe('6px');
    expect(item['text-transform']).toBe('none');
    expect((await styleOf(page, '#light .title', ['color'])).color).toBe('rgb(29, 29, 31)');
    expect((await styleOf(page, '#dark .title', ['color'])).color).toBe('rgb(242, 242, 245)');
    // and widget CSS does not reach out: host elements with the widget's class names keep host styles
    await page.evaluate(() => {
      document.body.insertAdjacentHTML(
        'beforeend',
        '<p><span class="title">host</span><button class="item">host</button></p>',
      );
    });
    expect(await styleOf(page, 'body > p > .title', ['font-weight', 'display'])).toEqual({
      'font-weight': '400',
      display: 'inline',
    });
    expect(await styleOf(page, 'body > p > button.item', ['background-color', 'border-radius'])).toEqual({
      'background-color': 'rgb(255, 210, 63)',
      'border-radius': '0px',
    });

    // a click inside a widget fires local-rec:select with the item's key and title
    const detail = page.evaluate(
      () =>
        new Promise<{ key: string; title: string; from: string }>((resolve) =>
          document.addEventListener('local-rec:select', (e) => {
            const event = e as CustomEvent<{ key: string; title: string }>;
            resolve({ ...event.detail, from: (event.target as HTMLElement).id });
          }),
        ),
    );
    await page.locator('#dark button.item').nth(1).click();
    const selected = await detail;
    expect(selected.from).toBe('dark');
    expect(dark[1]).toBe(`${selected.title} (${dark[1].slice(-5, -1)})`);
    expect(selected.key).toMatch(/^\d+$/);
    expect(await page.locator('#selected li').textContent()).toContain(`(key ${selected.key}) from #dark`);

    expect(workers).toHaveLength(1);
    expect(page.workers()).toHaveLength(1);
    expect(errors).toEqual([]);
    await browser.close();
    browser = undefined;
  });

  it("the widget's worker keeps its model in the page's model store and reads it from there on the next visit", async () => {
    browser = await launchChromium({ webgpu: false });
    try {
      const page = await browser.context.newPage();
      const weightRequests: string[] = [];
      page.on(
        'request',
        (r) => void (r.url().endsWith('weights.safetensors') && weightRequests.push(r.url())),
      );
      await page.goto(`${served().url}embed-demo.html`);
      for (const title of ['Toy Story', 'Jumanji', 'Heat'])
        await page.locator('#catalog').getByRole('button', { name: title }).click();
      const first = await widgetTitles(page, 'light', 5);
      const stored = await page.evaluate(async () => {
        const cache = await caches.open('localrec-models');
        return (await cache.keys()).map((r) => decodeURIComponent(new URL(r.url).pathname));
      });
      const { modelId } = e2eModels(root);
      expect(stored).toContain(`/__localrec-store__/${modelId}/weights.safetensors`);
      expect(weightRequests).toHaveLength(1);

      await page.reload();
      for (const title of ['Toy Story', 'Jumanji', 'Heat'])
        await page.locator('#catalog').getByRole('button', { name: title }).click();
      expect(await widgetTitles(page, 'light', 5)).toEqual(first);
      expect(weightRequests).toHaveLength(1); // the second visit read the weights from the store
    } finally {
      await browser.close();
      browser = undefined;
    }
  });

  it('cross origin: the host page loads widget, worker and models from the widget origin only', async () => {
    const host = await serveHtml(hostPage(served().origin));
    browser = await launchChromium({ webgpu: false });
    try {
      const requested: string[] = [];
      browser.context.on('request', (request) => requested.push(request.url()));
      const page = await browser.context.newPage();
      const errors: string[] = [];
      const warnings: string[] = [];
      page.on('pageerror', (error) => errors.push(String(error)));
      page.on('console', (message) => {
        if (message.type() === 'warning') warnings.push(message.text());
      });
      await page.goto(`${host.origin}/`);

      const four = await widgetTitles(page, 'four', 4);
      const absurd = await widgetTitles(page, 'absurd', 50);
      expect(absurd.slice(0, 4)).toEqual(four);
      const notes = await page.locator('#absurd [role="note"]').allTextContents();
      expect(notes).toEqual([
        'count="100000" is above 50; showing 50 items.',
        'theme="neon" is not "light" or "dark"; using light.',
      ]);
      expect(warnings).toContain('<local-rec>: count="100000" is above 50; showing 50 items.');
      expect(await page.locator('#four [role="note"]').count()).toBe(0);

      expect(page.workers()).toHaveLength(1);
      expect(page.workers()[0].url()).toMatch(new RegExp(`^blob:${host.origin}/`));
      const fromWidgetOrigin = (name: string) =>
        requested.some((u) => u.startsWith(`${served().origin}/`) && u.includes(name));
      expect(fromWidgetOrigin('/widget.js')).toBe(true);
      expect(fromWidgetOrigin('/assets/widget.worker-')).toBe(true);
      expect(fromWidgetOrigin('/weights.safetensors')).toBe(true);
      expect(fromWidgetOrigin('/catalog.bin')).toBe(true);
      const outside = requested.filter(
        (u) =>
          !u.startsWith(`${served().origin}/`) &&
          !u.startsWith(`${host.origin}/`) &&
          !/^(data|blob):/.test(u),
      );
      expect(outside).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
      browser = undefined;
      await host.close();
    }
  });
});
