/**
 * Bad history input from a host page on another origin, in Chromium (CPU backend):
 *  - no history, or only item keys the model does not know → the catalog's most popular items,
 *    labelled "not personalised" (and the unknown keys counted in a visible note);
 *  - unknown keys mixed with known ones → a note, and the same ranking as the known keys alone;
 *  - a history longer than the model's window → a note saying how many recent items are used, and
 *    the same ranking as those recent items alone;
 *  - `el.history = 42` → WidgetInputError thrown to the host and shown in the widget.
 */
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { requireOrSkip } from '../helpers/require.ts';
import { chromiumInstalled, CHROMIUM_PATH, launchChromium } from './helpers/browser.ts';
import { e2eModels, servedModelFacts } from './helpers/models-dir.ts';
import { serveHtml } from './helpers/serve-html.ts';
import { servedForSuite } from './helpers/served-suite.ts';
import { VIEWED, shownTitles } from './helpers/widget-page.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const noChromium = requireOrSkip(
  chromiumInstalled(),
  `Chromium not found at ${CHROMIUM_PATH}; install it with .ci/setup-system.sh (apt-get install chromium)`,
);
const UNKNOWN = ['no-such-item', 'also-missing'];
/** known items beyond the model's window in the long history */
const OLDER = 25;

/** A host page with one widget per case; `histories` maps widget id → [count, viewed keys | null]. */
function hostPage(widgetOrigin: string, histories: Record<string, [number, string[] | null]>): string {
  const widgets = Object.entries(histories)
    .map(([id, [count]]) => `<local-rec id="${id}" count="${count}"></local-rec>`)
    .join('\n');
  return `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,">
<script type="module" src="${widgetOrigin}/widget.js"></script></head>
<body><h1>A host with odd data</h1>
${widgets}
<script>
  const histories = ${JSON.stringify(histories)};
  for (const [id, [, keys]] of Object.entries(histories)) if (keys) document.getElementById(id).history = keys;
  // a host bug: not a list of keys. widget.js is a module, so the element is defined by now
  customElements.whenDefined('local-rec').then(() => {
    try {
      document.getElementById('empty').history = 42;
    } catch (error) {
      window.refused = error.name + ': ' + error.message;
    }
  });
</script></body></html>`;
}

/** The visible notes inside widget `#id`. */
const notesOf = (page: Page, id: string) => page.locator(`#${id} [role="note"]`).allTextContents();

describe.skipIf(noChromium)('<local-rec> with bad history input', () => {
  const served = servedForSuite(root);

  it('falls back to labelled popular items, counts unknown keys, states the window cut, refuses a non-list', async () => {
    const { keys, maxLen } = servedModelFacts(e2eModels(root));
    const long = keys.slice(0, maxLen + OLDER); // [maxLen + OLDER], oldest first
    const host = await serveHtml(
      hostPage(served().origin, {
        empty: [3, null],
        unknown: [3, UNKNOWN],
        mixed: [4, [UNKNOWN[0], ...VIEWED, UNKNOWN[1]]],
        known: [4, VIEWED],
        long: [5, long],
        window: [5, long.slice(OLDER)],
      }),
    );
    const browser = await launchChromium({ webgpu: false });
    try {
      const page = await browser.context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(String(error)));
      await page.goto(`${host.origin}/`);

      // nothing to personalise from: popular items, labelled, and no personal list
      for (const id of ['empty', 'unknown']) {
        const popular = await shownTitles(page.locator(`#${id} .popular-title`), 3);
        expect(new Set(popular).size).toBe(3);
        expect(await page.locator(`#${id} .popular`).getAttribute('aria-labelledby')).toBe('popular-heading');
        expect(await page.locator(`#${id} #popular-heading`).textContent()).toBe(
          'Popular here — not personalised',
        );
        expect(await page.locator(`#${id} .title`).count()).toBe(0);
      }
      expect(await notesOf(page, 'empty')).toEqual([]);

      // a history that is not a list of keys: a named error for the host, shown in the widget, history unchanged
      const refused = () => page.evaluate(() => (window as unknown as { refused?: string }).refused);
      await expect
        .poll(refused)
        .toBe(
          "WidgetInputError: <local-rec>: history must be an array of item keys, oldest first (e.g. el.history = ['1', '2']), got a number (42).",
        );
      expect(await page.locator('#empty [role="alert"]').textContent()).toContain('got a number (42).');
      expect(await notesOf(page, 'unknown')).toEqual(['2 history item(s) unknown to the model are ignored.']);

      // unknown keys are dropped: the known ones rank exactly as on their own
      const known = await shownTitles(page.locator('#known .title'), 4);
      expect(await shownTitles(page.locator('#mixed .title'), 4)).toEqual(known);
      expect(await notesOf(page, 'mixed')).toEqual(['2 history item(s) unknown to the model are ignored.']);
      expect(await page.locator('#mixed .popular-title').count()).toBe(0);

      // longer than the window: the most recent maxLen items rank exactly as on their own
      const recent = await shownTitles(page.locator('#window .title'), 5);
      expect(await shownTitles(page.locator('#long .title'), 5)).toEqual(recent);
      expect(await notesOf(page, 'long')).toEqual([
        `Only your ${maxLen.toLocaleString('en-US')} most recent items are used (the model's window); ` +
          `the ${OLDER} older ones are ignored.`,
      ]);
      expect(await notesOf(page, 'window')).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
      await host.close();
    }
  });
});
