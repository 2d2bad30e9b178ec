/**
 * Driving the Models panel from Playwright: a fresh CPU-only page per test, the "Stored models"
 * list, and the default model's bundle as picked files (optionally renamed or with a flipped byte).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { launchChromium } from './browser.ts';
import { e2eModels } from './models-dir.ts';

const BUNDLE = ['manifest.json', 'weights.safetensors', 'items.json'];
/** The model id `usePickedBundle` gives the default bundle (a different bundle to the store). */
export const PICKED = 'e2e-picked-model';

/** A file for `setInputFiles`. */
export interface InputFile {
  name: string;
  mimeType: string;
  buffer: Buffer;
}

/**
 * The e2e default model's bundle files (repo root `root`) as setInputFiles payloads; `corrupt`
 * flips one weight byte, `id` renames the model in its manifest (a different bundle to the store).
 */
export function bundleFiles(root: string, options: { corrupt?: boolean; id?: string } = {}): InputFile[] {
  const { dir, modelId } = e2eModels(root);
  return BUNDLE.map((name) => {
    let buffer = Buffer.from(readFileSync(join(dir, modelId, name)));
    if (options.corrupt && name === 'weights.safetensors') buffer[buffer.length - 5] ^= 0x10;
    if (options.id !== undefined && name === 'manifest.json') {
      const manifest = JSON.parse(buffer.toString('utf8')) as { id: string };
      buffer = Buffer.from(JSON.stringify({ ...manifest, id: options.id }));
    }
    return { name, mimeType: 'application/octet-stream', buffer };
  });
}

/**
 * Run `use` on a fresh page of a CPU-only Chromium, closing the browser afterwards;
 * `blockServiceWorkers` when the test holds requests back with page.route.
 */
export async function withPage(
  use: (page: Page) => Promise<void>,
  options: { blockServiceWorkers?: boolean } = {},
): Promise<void> {
  const browser = await launchChromium({ webgpu: false, ...options });
  try {
    const page = await browser.context.newPage();
    page.on('pageerror', (error) => console.error('[page error]', error));
    await use(page);
  } finally {
    await browser.close();
  }
}

/** The entries of the panel's "Stored models" list. */
export function storedModels(page: Page) {
  return page.getByRole('list', { name: 'Stored models' }).getByRole('listitem');
}

/** Wait until the page has a model loaded; returns the status line's text. */
export async function readyStatus(page: Page): Promise<string> {
  const status = page.getByRole('status');
  await expect.poll(() => status.getAttribute('data-state'), { timeout: 60_000 }).toBe('ready');
  return ((await status.textContent()) ?? '').replace(/\s+/g, ' ');
}

/** Open the page (`url`), pick the renamed default bundle of the repo at `root` and wait until the worker uses it. */
export async function usePickedBundle(page: Page, url: string, root: string): Promise<void> {
  await page.goto(url);
  await expect.poll(() => storedModels(page).count(), { timeout: 60_000 }).toBe(1);
  await page.getByLabel('Model files', { exact: true }).setInputFiles(bundleFiles(root, { id: PICKED }));
  await expect
    .poll(() => page.locator('.chosen').textContent(), { timeout: 60_000 })
    .toMatch(new RegExp(`In use: your model\\s+${PICKED}`));
  expect(await readyStatus(page)).toContain(`Model ${PICKED} ready`);
}
