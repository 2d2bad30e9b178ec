/**
 * The language model on the page in headless Chromium (CPU): the "Language model" switch downloads
 * the rec-tuned model from the page's origin into the LLM worker; the SASRec list is shown first,
 * then replaced by the LLM's re-ranking, whose order equals the Node pipeline's (src/rec/pipeline.ts,
 * computed here for the same history); explanations then come from the LLM verbaliser, each line
 * labelled with the verbaliser that wrote it, and the interest model's P(yes) ("♥ N %") sits beside
 * every item; both GGUFs are downloaded once and read from the model store on the next visit; nothing
 * leaves the origin.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { requireOrSkip } from '../helpers/require.ts';
import { chromiumInstalled, CHROMIUM_PATH } from './helpers/browser.ts';
import { e2eModels } from './helpers/models-dir.ts';
import { addMovies } from './helpers/page-actions.ts';
import { openRankedPage } from './helpers/ranked-page.ts';
import { requestsOutside, servedForSuite } from './helpers/served-suite.ts';
import { keysOfLabels, referenceLists } from './rerank-reference.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const REC_MODEL = 'ml-latest-small-llama-rec';
const INTEREST_MODEL = 'ml-latest-small-llama-interest';
const MOVIES = ['Toy Story (1995)', 'Jumanji (1995)', 'Heat (1995)'];
const noChromium = requireOrSkip(
  chromiumInstalled(),
  `Chromium not found at ${CHROMIUM_PATH}; install it with .ci/setup-system.sh (apt-get install chromium)`,
);

describe.skipIf(noChromium)('language model on the page', () => {
  const served = servedForSuite(root);

  it('shows the SASRec list, then the LLM re-ranking the Node pipeline computes, with LLM explanations', async () => {
    const models = e2eModels(root);
    expect(models.source).toBe('repo'); // the rec-tuned model is tuned on the repo's SASRec model
    const reference = await referenceLists(root, models.modelId, REC_MODEL, keysOfLabels(root, MOVIES), 20);
    expect(reference.pipeline).not.toEqual(reference.sasrec); // this history is re-ordered by the LLM
    const { browser, page, recs, requested } = await openRankedPage(served(), MOVIES);
    try {
      const shownKeys = () =>
        recs.evaluateAll((items) => items.map((li) => li.getAttribute('data-key') ?? ''));
      const source = page.getByTestId('list-source');
      await expect.poll(() => source.getAttribute('data-source')).toBe('sasrec');
      expect(await shownKeys()).toEqual(reference.sasrec);
      await page.getByRole('checkbox', { name: /Language model/ }).check();
      await expect.poll(() => source.getAttribute('data-source'), { timeout: 120_000 }).toBe('sasrec+llm');
      expect(await shownKeys()).toEqual(reference.pipeline);
      // a new request with the model on: SASRec's list first, then the re-ranked one
      await source.evaluate((el) => {
        const seen: string[] = [];
        (globalThis as unknown as { sourcesSeen: string[] }).sourcesSeen = seen;
        new MutationObserver(() => seen.push(el.getAttribute('data-source') ?? '')).observe(el, {
          attributes: true,
        });
      });
      const more = [...MOVIES, 'Casino (1995)'];
      const reference2 = await referenceLists(root, models.modelId, REC_MODEL, keysOfLabels(root, more), 20);
      await addMovies(page, ['Casino (1995)']);
      const seen = () =>
        page.evaluate(() => (globalThis as unknown as { sourcesSeen: string[] }).sourcesSeen);
      await expect.poll(seen, { timeout: 120_000 }).toEqual(['sasrec', 'sasrec+llm']);
      expect(await shownKeys()).toEqual(reference2.pipeline);
      const label = (await source.textContent()) ?? '';
      expect(label).toMatch(/re-ranked by the language model \(\d+\.\d ms in the worker/);
      // explanations: one per item, each labelled with its verbaliser; the LLM verbaliser ran (it wrote a
      // line, or its attempts failed a post-check: the rec-tuned stories260K's words between the fact
      // spans mostly fail the readability check, src/rec/explain-readable.ts)
      const tags = page.getByTestId('verbaliser');
      await expect.poll(() => tags.count(), { timeout: 120_000 }).toBe(20);
      const verbalisers = await tags.allTextContents();
      for (const tag of verbalisers)
        expect(tag).toMatch(
          /^\((language model|template|template: the language model's \d attempts? failed the (fact|readability|fact and readability) checks?)\)$/,
        );
      expect(verbalisers.some((v) => v === '(language model)' || / attempts? failed the /.test(v))).toBe(
        true,
      );
      expect(await source.textContent()).toMatch(/LLM explanations: median \d+ ms each/);
      // TALLRec's interest: the interest model's P(yes) beside every item, as a percentage
      const hearts = page.getByTestId('interest').locator('[aria-hidden="true"]'); // the short text
      await expect.poll(() => hearts.count(), { timeout: 120_000 }).toBe(20);
      for (const text of await hearts.allTextContents()) {
        const percent = Number(/^♥ (\d+) %$/.exec(text)?.[1]);
        expect(percent).toBeGreaterThanOrEqual(0);
        expect(percent).toBeLessThanOrEqual(100);
      }
      expect(new Set(await hearts.allTextContents()).size).toBeGreaterThan(1); // not one value for every item
      expect(await page.getByTestId('llm-loaded').textContent()).toContain(
        `♥ ${INTEREST_MODEL}: model-q8_0.gguf`,
      );
      // the Why panel still shows the facts with the model on
      await recs.first().getByText('Why this?').click();
      const panel = recs.first().getByTestId('why-panel');
      await expect.poll(() => panel.isVisible()).toBe(true);
      expect(await panel.textContent()).toMatch(/Attention[\s\S]*Occlusion/);
      const ggufRequests = () =>
        requested.filter((u) =>
          [REC_MODEL, INTEREST_MODEL].some((m) => u.endsWith(`/models/${m}/model-q8_0.gguf`)),
        );
      expect(ggufRequests()).toHaveLength(2);
      expect(await page.getByTestId('llm-loaded').textContent()).toContain('downloaded and kept');
      // next visit: the switch is off again; turned on, the model comes from the model store
      await page.reload();
      await expect.poll(() => recs.count(), { timeout: 120_000 }).toBe(20);
      await page.getByRole('checkbox', { name: /Language model/ }).check();
      await expect
        .poll(() => page.getByTestId('llm-loaded').textContent(), { timeout: 60_000 })
        .toContain('from the model store');
      await expect.poll(() => source.getAttribute('data-source'), { timeout: 120_000 }).toBe('sasrec+llm');
      await expect.poll(() => hearts.count(), { timeout: 120_000 }).toBe(20);
      expect(ggufRequests()).toHaveLength(2); // both GGUFs came from the model store this time
      expect(requestsOutside(requested, served().origin)).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
