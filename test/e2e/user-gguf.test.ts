/**
 * A GGUF the user picks in the Models panel becomes the page's language model, in Chromium (CPU):
 * stories260K.gguf given to the file input (setInputFiles) is checked and kept, the LLM worker loads
 * it from the model store, and the page shows "loaded: stories260K.gguf, …" with the greedy sample
 * that the same runtime writes in Node. The list is then re-ranked by prompting (candidate titles
 * scored; the order equals src/rec/title-rerank.ts in Node for the same SASRec candidates), every
 * explanation names only titles and genres true of the item and the history (a fallback is
 * labelled), and the chat's model fallback picks what pickCommand picks in Node. After a reload the
 * kept file is listed by name and used again from the store.
 *
 * stories260K is a 260K-parameter story model, not a chat model: it stands in for the user's GGUF
 * here, so these checks are about the page staying truthful, not about good recommendations.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createScorer } from '../../models/tools/scorers.ts';
import { unpackCatalog } from '../../src/data/catalog-binary.ts';
import type { CatalogItem } from '../../src/data/types.ts';
import { FastCpuOps } from '../../src/gpu/cpu-fast/fast-cpu-ops.ts';
import { loadOwnLanguageModel } from '../../src/llm/backends/own.ts';
import { generateAll, type LanguageModel } from '../../src/llm/language-model.ts';
import { commandChoices, pickCommand, rulesNeedModel } from '../../src/rec/chat/llm-parse.ts';
import { parseRequest } from '../../src/rec/chat/parse.ts';
import { buildVocabulary } from '../../src/rec/chat/vocabulary.ts';
import { catalogVocabulary } from '../../src/rec/explain-check.ts';
import { topCandidates } from '../../src/rec/pipeline.ts';
import { rerankByTitle } from '../../src/rec/title-rerank.ts';
import { SAMPLE_PROMPT, SAMPLE_TOKENS } from '../../src/state/llm-user.svelte.ts';
import { USER_MODEL_CANDIDATES } from '../../src/state/llm.svelte.ts';
import { requireOrSkip } from '../helpers/require.ts';
import { STORIES_DIR } from '../llm/stories-files.ts';
import { say } from './chat-turns.ts';
import { chromiumInstalled, CHROMIUM_PATH } from './helpers/browser.ts';
import { e2eModels } from './helpers/models-dir.ts';
import { openRankedPage } from './helpers/ranked-page.ts';
import { requestsOutside, servedForSuite } from './helpers/served-suite.ts';
import { keysOfLabels } from './rerank-reference.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const GGUF = resolve(STORIES_DIR, 'stories260K.gguf');
const MOVIES = ['Toy Story (1995)', 'Jumanji (1995)', 'Heat (1995)'];
const VAGUE = 'I want to laugh';
const skip =
  requireOrSkip(
    chromiumInstalled(),
    `Chromium not found at ${CHROMIUM_PATH}; install it with .ci/setup-system.sh (apt-get install chromium)`,
  ) || requireOrSkip(existsSync(GGUF), `stories260K.gguf not found at ${GGUF}`);

const catalog = (): CatalogItem[] =>
  unpackCatalog(new Uint8Array(readFileSync(join(root, 'public/data/ml-latest-small/catalog.bin')))).items;

/** In Node, as the LLM worker does it (FastCpuOps): the sample, the re-ranked keys, the chat pick. */
async function nodeReference(items: CatalogItem[]) {
  const model: LanguageModel = await loadOwnLanguageModel(
    { model: new Uint8Array(readFileSync(GGUF)) },
    { ops: new FastCpuOps() },
  );
  const { modelId } = e2eModels(root);
  const sasrecDir = join(root, 'models', modelId);
  const itemKeys = (JSON.parse(readFileSync(join(sasrecDir, 'items.json'), 'utf8')) as unknown[]).map(String); // [N]
  const byKey = new Map(items.map((i) => [i.key, i]));
  const historyKeys = keysOfLabels(root, MOVIES);
  const history = Int32Array.from(historyKeys, (key) => itemKeys.indexOf(key) + 1); // [len] dense ids
  const scorer = await createScorer(sasrecDir, 'cpu');
  try {
    const sample = await generateAll(model, SAMPLE_PROMPT, { maxTokens: SAMPLE_TOKENS, temperature: 0 });
    const candidates = topCandidates(await scorer.score(history), history, USER_MODEL_CANDIDATES);
    const keys = Array.from(candidates.ids, (id) => itemKeys[id - 1]); // [C]
    const title = (key: string) => byKey.get(key)?.title ?? key;
    const reranked = await rerankByTitle(
      model,
      historyKeys.map(title),
      keys.map(title),
      Array.from(candidates.scores),
    );
    const vocab = buildVocabulary(items, items);
    expect(rulesNeedModel(parseRequest(VAGUE, vocab))).toBe(true);
    const pick = await pickCommand(
      model,
      VAGUE,
      commandChoices(vocab).map((c) => c.text),
    );
    return { sample: sample.text, sasrec: keys, reranked: reranked.order.map((i) => keys[i]), pick };
  } finally {
    scorer.dispose();
    await model.dispose();
  }
}

/** Whole-word occurrences of `phrase` in `text`. */
const mentions = (text: string, phrase: string) =>
  new RegExp(
    `(?<![\\p{L}\\p{N}])${phrase.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}\\p{N}])`,
    'u',
  ).test(text);

describe.skipIf(skip)('a GGUF the user picked as the language model', () => {
  const served = servedForSuite(root);

  it('loads it from the store, shows it with a sample, and keeps the list, explanations and chat truthful', async () => {
    const items = catalog();
    const reference = await nodeReference(items);
    const { browser, page, recs, requested } = await openRankedPage(served(), MOVIES);
    try {
      const source = page.getByTestId('list-source');
      await expect.poll(() => source.getAttribute('data-source')).toBe('sasrec');
      await page.getByLabel('Model files', { exact: true }).setInputFiles({
        name: 'stories260K.gguf',
        mimeType: 'application/octet-stream',
        buffer: readFileSync(GGUF),
      });
      const loaded = page.getByTestId('user-llm-loaded');
      await expect
        .poll(() => loaded.textContent(), { timeout: 60_000 })
        .toMatch(
          /^loaded: stories260K\.gguf, llama, 2\d\d\.\dK params, F32, 5 layers, CPU in the LLM worker$/,
        );
      await expect
        .poll(() => page.getByTestId('user-llm-sample').textContent(), { timeout: 30_000 })
        .toContain(`“${SAMPLE_PROMPT}”): ${reference.sample}`);
      expect(reference.sample.trim().length).toBeGreaterThan(10);
      expect(await page.getByRole('checkbox', { name: /Language model/ }).isChecked()).toBe(true);

      // the list: SASRec's top 20 re-ranked by title scores, exactly as in Node
      await expect.poll(() => source.getAttribute('data-source'), { timeout: 120_000 }).toBe('sasrec+llm');
      const shown = await recs.evaluateAll((lis) => lis.map((li) => li.getAttribute('data-key') ?? ''));
      expect(shown).toEqual(reference.reranked);
      expect([...shown].sort()).toEqual([...reference.sasrec].sort());
      expect(reference.reranked).not.toEqual(reference.sasrec); // the titles' scores changed the order
      expect(await page.getByTestId('llm-loaded').textContent()).toContain('stories260K.gguf');
      expect(await source.textContent()).toMatch(/Order: SASRec's top 20 re-ranked by the language model \(/);

      // explanations: each labelled; any title or genre named is the item's, a history item's or a shared genre
      const tags = page.getByTestId('verbaliser');
      await expect.poll(() => tags.count(), { timeout: 180_000 }).toBe(20);
      const titles = [...catalogVocabulary(items).titles];
      const byKey = new Map(items.map((i) => [i.key, i]));
      const historyItems = keysOfLabels(root, MOVIES).map((k) => byKey.get(k)!);
      const lines = await recs.evaluateAll((lis) =>
        lis.map((li) => ({
          key: li.getAttribute('data-key') ?? '',
          text: li.querySelector('[data-testid="explanation"]')?.firstChild?.textContent?.trim() ?? '',
          tag: li.querySelector('[data-testid="verbaliser"]')?.textContent ?? '',
        })),
      );
      for (const { key, text, tag } of lines) {
        expect(tag).toMatch(
          /^\((language model|template|template: the language model's \d attempts? failed the (fact|readability|fact and readability) checks?)\)$/,
        );
        const item = byKey.get(key)!;
        const allowedTitles = [item.title, ...historyItems.map((h) => h.title)];
        for (const t of titles)
          if (mentions(text, t))
            expect(
              allowedTitles.some((a) => a.includes(t)),
              `${text}: ${t}`,
            ).toBe(true);
        const genres = new Set(items.flatMap((i) => i.genres));
        for (const g of genres) if (mentions(text, g)) expect(item.genres, `${text}: ${g}`).toContain(g);
      }

      // the chat: the rules understood nothing → the model picks from the closed set, as in Node
      const turn = await say(page, VAGUE, 1);
      if (reference.pick.index !== undefined) {
        expect(turn.reply).toContain(`(the language model read this as “${reference.pick.raw}”)`);
      } else {
        expect(turn.reply).not.toContain('the language model read this as');
      }
      // next visit: the kept GGUF is listed by its name and used again from the store, no file picked
      await page.reload();
      await expect.poll(() => recs.count(), { timeout: 120_000 }).toBe(20);
      const kept = page.getByRole('list', { name: 'Kept language models' }).getByRole('listitem');
      await expect.poll(() => kept.first().textContent(), { timeout: 30_000 }).toContain('stories260K.gguf');
      await kept.first().getByRole('button', { name: 'Use as the language model' }).click();
      await expect
        .poll(() => page.getByTestId('user-llm-loaded').textContent(), { timeout: 60_000 })
        .toMatch(/^loaded: stories260K\.gguf, /);
      await expect.poll(() => source.getAttribute('data-source'), { timeout: 120_000 }).toBe('sasrec+llm');
      expect(requestsOutside(requested, served().origin)).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
