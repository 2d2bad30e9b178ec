/**
 * One scripted chat turn on the built page (shared by the chat e2e tests): type, send, wait for
 * the turn's reply, read the refined list.
 */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/** Send one chat turn; resolve with its reply and the refined list (genres, year, title per item). */
export async function say(page: Page, text: string, turn: number) {
  await page.getByLabel('Chat request').fill(text);
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  const turns = page.getByRole('log', { name: 'Conversation' }).getByRole('listitem');
  await expect.poll(() => turns.count(), { timeout: 60_000 }).toBe(turn);
  const reply =
    (await turns
      .nth(turn - 1)
      .locator('.reply')
      .textContent()) ?? '';
  const items = page.getByRole('list', { name: 'Refined recommendations' }).getByRole('listitem');
  const shown = await items.evaluateAll((lis) =>
    lis.map((li) => ({
      title: li.querySelector('.title')?.textContent ?? '',
      genres: (li.getAttribute('data-genres') ?? '').split('|'),
      year: Number(li.getAttribute('data-year')),
    })),
  );
  return { reply, shown };
}
