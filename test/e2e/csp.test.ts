/**
 * The page's Content-Security-Policy in Chromium: the built page ships a strict policy (scripts and
 * connections only from its own origin, no 'unsafe-eval', no inline script), loads, ranks and picks a
 * model under it with no violation, and the browser really enforces it: an inline script and a
 * fetch to another origin are refused (securitypolicyviolation events), so nothing can leave.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { noChromium } from './helpers/browser.ts';
import { recordPolicyViolations } from './helpers/csp-violations.ts';
import { bundleFiles, withPage } from './helpers/models-panel.ts';
import { addMovies } from './helpers/page-actions.ts';
import { servedForSuite } from './helpers/served-suite.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe.skipIf(noChromium())('Content-Security-Policy of the page', () => {
  const served = servedForSuite(root);

  it('is strict, lets the whole page work without a violation, and refuses inline script and other origins', () =>
    withPage(async (page) => {
      const violations = await recordPolicyViolations(page);
      await page.goto(served().url);
      const policy = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
      const directives = new Map(
        (policy ?? '').split(';').map((d) => {
          const [name, ...values] = d.trim().split(/\s+/);
          return [name, values] as const;
        }),
      );
      expect(directives.get('default-src')).toEqual(["'self'"]);
      expect(directives.get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'"]);
      expect(directives.get('connect-src')).toEqual(["'self'"]);

      await expect
        .poll(() => page.getByRole('status').getAttribute('data-state'), { timeout: 60_000 })
        .toBe('ready');
      await addMovies(page, ['Toy Story (1995)', 'Jumanji (1995)']);
      const recs = page.getByRole('list', { name: 'Recommendations' }).getByRole('listitem');
      await expect.poll(() => recs.count(), { timeout: 60_000 }).toBe(20);
      await page.getByLabel('Model files', { exact: true }).setInputFiles(bundleFiles(root));
      await expect.poll(() => page.locator('.chosen').count(), { timeout: 60_000 }).toBe(1);
      expect(await violations()).toEqual([]);

      const outcome = await page.evaluate(async () => {
        const script = document.createElement('script');
        script.textContent = '(globalThis).inlineRan = true;';
        document.body.append(script);
        const fetched = await fetch('http://example.invalid/track').then(
          () => 'sent',
          () => 'refused',
        );
        return { inlineRan: (globalThis as unknown as { inlineRan?: boolean }).inlineRan ?? false, fetched };
      });
      expect(outcome).toEqual({ inlineRan: false, fetched: 'refused' });
      await expect
        .poll(async () => (await violations()).map((v) => v.directive).sort())
        .toEqual(['connect-src', 'script-src-elem']);
    }));
});
