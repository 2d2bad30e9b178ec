/**
 * Loading a local file by drag and drop, in Chromium (CPU): a real `drop` event carrying a
 * DataTransfer with the file (built in the page, as the browser builds it for a drop from the
 * desktop) on the Models panel's drop zone. stories260K.gguf becomes the page's language model
 * ("loaded: stories260K.gguf, …"); an interactions CSV is read and offered for training. The file
 * input is never used.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { requireOrSkip } from '../helpers/require.ts';
import { STORIES_DIR } from '../llm/stories-files.ts';
import { ringCsv } from '../train-page/synthetic.ts';
import { noChromium } from './helpers/browser.ts';
import { readyStatus, withPage } from './helpers/models-panel.ts';
import { servedForSuite } from './helpers/served-suite.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const GGUF = resolve(STORIES_DIR, 'stories260K.gguf');
const skip = noChromium() || requireOrSkip(existsSync(GGUF), `stories260K.gguf not found at ${GGUF}`);

/** Drag `file` over the drop zone and drop it there (dragenter, dragover, drop with one DataTransfer). */
async function dropFile(page: Page, file: { name: string; mimeType: string; buffer: Buffer }): Promise<void> {
  const dataTransfer = await page.evaluateHandle(
    ({ name, mimeType, base64 }) => {
      const text = atob(base64);
      const bytes = new Uint8Array(text.length); // [file bytes]
      for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
      const transfer = new DataTransfer();
      transfer.items.add(new File([bytes], name, { type: mimeType }));
      return transfer;
    },
    { name: file.name, mimeType: file.mimeType, base64: file.buffer.toString('base64') },
  );
  const zone = page.getByRole('region', { name: 'Drop zone' });
  await zone.dispatchEvent('dragenter', { dataTransfer });
  await zone.dispatchEvent('dragover', { dataTransfer });
  expect(await zone.getAttribute('class')).toContain('dragging'); // the zone shows where to drop
  await zone.dispatchEvent('drop', { dataTransfer });
  expect(await zone.getAttribute('class')).not.toContain('dragging');
}

describe.skipIf(skip)('dropping a local file on the Models panel', () => {
  const served = servedForSuite(root);

  it('a dropped GGUF becomes the language model', () =>
    withPage(async (page) => {
      await page.goto(served().url);
      await readyStatus(page);
      await dropFile(page, {
        name: 'stories260K.gguf',
        mimeType: 'application/octet-stream',
        buffer: readFileSync(GGUF),
      });
      await expect
        .poll(() => page.getByTestId('user-llm-loaded').textContent(), { timeout: 60_000 })
        .toMatch(
          /^loaded: stories260K\.gguf, llama, 2\d\d\.\dK params, F32, 5 layers, CPU in the LLM worker$/,
        );
      const kept = page.getByRole('list', { name: 'Kept language models' }).getByRole('listitem');
      await expect.poll(() => kept.first().textContent()).toContain('stories260K.gguf');
      expect(await page.getByLabel('Model files', { exact: true }).inputValue()).toBe('');
    }));

  it('a dropped interactions CSV is read and offered for training', () =>
    withPage(async (page) => {
      await page.goto(served().url);
      await readyStatus(page);
      await dropFile(page, { name: 'ring-log.csv', mimeType: 'text/csv', buffer: Buffer.from(ringCsv()) });
      const notice = page.getByRole('region', { name: 'Models' }).locator('.notice');
      await expect
        .poll(() => notice.textContent(), { timeout: 30_000 })
        .toMatch(
          /^read: ring-log\.csv, \d+ interactions from 300 users on 120 items; train a model on it below/,
        );
      const train = page.getByRole('group', { name: 'Train a model on ring-log.csv' });
      expect(await train.getByRole('button', { name: 'Train', exact: true }).isEnabled()).toBe(true);
    }));
});
