/**
 * Headless Debian Chromium through playwright-core, with a fresh profile per launch.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { requireOrSkip } from '../../helpers/require.ts';

/** Where Debian installs Chromium. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** True when the Chromium binary exists. */
export function chromiumInstalled(): boolean {
  return existsSync(CHROMIUM_PATH);
}

/**
 * For `describe.skipIf(noChromium())`: true (skip, with the reason printed) when Chromium is missing;
 * fails instead under CI=true (test/helpers/require.ts).
 */
export function noChromium(): boolean {
  return requireOrSkip(
    chromiumInstalled(),
    `Chromium not found at ${CHROMIUM_PATH}; install it with .ci/setup-system.sh (apt-get install chromium)`,
  );
}

const BASE_ARGS = [
  '--no-sandbox',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
];

/** A launched browser context and how to dispose of it. */
export interface LaunchedBrowser {
  context: BrowserContext;
  close(): Promise<void>;
}

/**
 * Launch headless Chromium; `webgpu` adds --enable-unsafe-webgpu (SwiftShader adapter);
 * `blockServiceWorkers` keeps the page's service worker out (so page.route sees every request).
 */
export async function launchChromium(options: {
  webgpu: boolean;
  blockServiceWorkers?: boolean;
}): Promise<LaunchedBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'localrec-e2e-profile-'));
  const args = options.webgpu ? [...BASE_ARGS, '--enable-unsafe-webgpu'] : BASE_ARGS;
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args,
    viewport: { width: 1200, height: 900 },
    acceptDownloads: true,
    ...(options.blockServiceWorkers ? { serviceWorkers: 'block' as const } : {}),
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
