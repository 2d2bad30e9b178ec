/**
 * The chat box with the language model on, in Chromium (CPU): a request the rules understand
 * ("no horror") is parsed by the rules; one they understand nothing of ("I want to laugh") goes to
 * the rec-tuned model, which may only pick one command of the closed set — the page's pick equals
 * the one src/rec/chat/llm-parse.ts makes in Node with the same model, the reply says the model read
 * it so, and the merged filters hold on every refined item; "start over" still resets; nothing
 * leaves the origin.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { unpackCatalog } from '../../src/data/catalog-binary.ts';
import { FastCpuOps } from '../../src/gpu/cpu-fast/fast-cpu-ops.ts';
import { loadOwnLanguageModel } from '../../src/llm/backends/own.ts';
import { commandChoices, pickCommand, rulesNeedModel } from '../../src/rec/chat/llm-parse.ts';
import { parseRequest } from '../../src/rec/chat/parse.ts';
import { buildVocabulary } from '../../src/rec/chat/vocabulary.ts';
import { requireOrSkip } from '../helpers/require.ts';
import { say } from './chat-turns.ts';
import { chromiumInstalled, CHROMIUM_PATH } from './helpers/browser.ts';
import { openRankedPage } from './helpers/ranked-page.ts';
import { requestsOutside, servedForSuite } from './helpers/served-suite.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const MOVIES = ['Toy Story (1995)', 'Jumanji (1995)', 'Heat (1995)'];
const VAGUE = 'I want to laugh';
const noChromium = requireOrSkip(
  chromiumInstalled(),
  `Chromium not found at ${CHROMIUM_PATH}; install it with .ci/setup-system.sh (apt-get install chromium)`,
);

/** What the model picks for `request` in Node (FastCpuOps, as in the LLM worker); the rules must understand nothing of it. */
async function nodePick(request: string): Promise<string> {
  const items = unpackCatalog(
    new Uint8Array(readFileSync(join(root, 'public/data/ml-latest-small/catalog.bin'))),
  ).items;
  const vocab = buildVocabulary(items, items);
  expect(rulesNeedModel(parseRequest(request, vocab))).toBe(true);
  const gguf = new Uint8Array(readFileSync(join(root, 'models/ml-latest-small-llama-rec/model-q8_0.gguf')));
  const model = await loadOwnLanguageModel({ model: gguf }, { ops: new FastCpuOps(), capacity: 512 });
  try {
    const pick = await pickCommand(
      model,
      request,
      commandChoices(vocab).map((c) => c.text),
    );
    return pick.raw;
  } finally {
    await model.dispose();
  }
}

describe.skipIf(noChromium)('chat box with the language model on', () => {
  const served = servedForSuite(root);

  it('falls back to the model only when the rules understood nothing, with the same checks', async () => {
    const expected = await nodePick(VAGUE);
    const command = /^(more|less|no|only) \[(.+)\]$/.exec(expected);
    expect(command, `the model picked "${expected}"`).not.toBeNull();
    const [, word, label] = command ?? [];
    const { browser, page, requested } = await openRankedPage(served(), MOVIES);
    try {
      await page.getByRole('checkbox', { name: /Language model/ }).check();
      const source = page.getByTestId('list-source');
      await expect.poll(() => source.getAttribute('data-source'), { timeout: 120_000 }).toBe('sasrec+llm');

      const noHorror = await say(page, 'no horror', 1);
      expect(noHorror.reply).toMatch(/^No Horror: \d+ of the top 200 fit, best 10 shown\.$/); // the rules, no model note
      expect(noHorror.shown.filter((s) => s.genres.includes('Horror'))).toEqual([]);

      const vague = await say(page, VAGUE, 2);
      expect(vague.reply).toContain(`(the language model read this as “${expected}”)`);
      // the reply names the picked command as describeIntent does (decades as "the 1990s"), with the earlier turn
      const named = /^\d{4}s$/.test(label ?? '') ? `the ${label}` : label;
      expect(vague.reply.toLowerCase()).toContain(`${word} ${named}`.toLowerCase());
      expect(vague.reply.toLowerCase()).toContain('no horror');
      expect(vague.shown.length).toBeGreaterThan(0);
      for (const s of vague.shown) {
        expect(s.genres, s.title).not.toContain('Horror');
        if (word === 'no') expect(s.genres, s.title).not.toContain(label);
      }

      const reset = await say(page, 'start over', 3);
      expect(reset.reply).toBe('Starting over: your plain recommendations.');
      expect(requestsOutside(requested, served().origin)).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
