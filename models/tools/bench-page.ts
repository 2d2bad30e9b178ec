/**
 * Shared by the page benchmarks (bench:sasrec, bench:llm): build one HTML entry with Vite into a
 * temp dir, preview it on 127.0.0.1, open it in headless Debian Chromium (SwiftShader WebGPU, the
 * same launch as the e2e tests) and wait for `#report` to leave data-state="running". Every request
 * must stay on the served origin.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, preview } from 'vite';
import { launchChromium } from '../../test/e2e/helpers/browser.ts';

/** The bench page reported a failure, or a request left the origin. */
export class BenchPageError extends Error {
  override readonly name = 'BenchPageError';
}

/** A TCP port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => done(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** A built and served page: its origin, output directory (add files before opening) and stop. */
export interface ServedPage {
  origin: string;
  outDir: string;
  close(): Promise<void>;
}

/** Builds `htmlEntry` (absolute path under `root`) into a temp dir and previews it. */
export async function buildAndServePage(root: string, htmlEntry: string): Promise<ServedPage> {
  const outDir = mkdtempSync(join(tmpdir(), 'localrec-bench-dist-'));
  await build({
    root,
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true, sourcemap: false, rolldownOptions: { input: htmlEntry } },
  });
  const port = await freePort();
  const server = await preview({
    root,
    logLevel: 'warn',
    build: { outDir },
    preview: { host: '127.0.0.1', port, strictPort: true },
  });
  return {
    origin: `http://127.0.0.1:${port}`,
    outDir,
    close: async () => {
      await server.close();
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}

/**
 * Opens `url` in headless Chromium and returns `#report`'s text once data-state is "done".
 * @param localSchemes URL schemes that never reach a network (default data: and blob:)
 */
export async function runBenchPage(
  url: string,
  origin: string,
  timeoutMs: number,
  localSchemes: readonly string[] = ['data:', 'blob:'],
): Promise<string> {
  const browser = await launchChromium({ webgpu: true });
  try {
    const foreign: string[] = [];
    browser.context.on('request', (r) => {
      const u = r.url();
      if (!u.startsWith(`${origin}/`) && !localSchemes.some((scheme) => u.startsWith(scheme)))
        foreign.push(u);
    });
    const page = await browser.context.newPage();
    page.on('console', (m) => console.log(m.text()));
    page.on('pageerror', (e) => console.error(`[page error] ${e.message}`));
    await page.goto(url);
    const report = page.locator('#report:not([data-state="running"])');
    await report.waitFor({ state: 'attached', timeout: timeoutMs });
    const state = await report.getAttribute('data-state');
    const text = (await report.textContent()) ?? '';
    if (state !== 'done') throw new BenchPageError(`the bench page failed: ${text}`);
    if (foreign.length > 0) throw new BenchPageError(`requests left ${origin}: ${foreign.join(', ')}`);
    return text;
  } finally {
    await browser.close();
  }
}
