/**
 * `npm run eval:explain-page -- [--users 10] [--length 5] [--seed 7] [--gguf <file>] [--json out.json]`
 *
 * The language model in the built page (headless Chromium, CPU fallback, as the e2e tests run it):
 * the "Language model" switch is turned on (the rec-tuned model), or with `--gguf` that file is
 * picked in the Models panel and used by prompting (src/rec/prompted-handler.ts); then for seeded
 * leave-one-out test users of
 * ml-latest-small the last `length` movies of their history are added one by one through the
 * search box. After each addition the script waits until the re-ranked list and its 20 explanations
 * are on screen and reads the page's own figures (RecommendationList's data-* attributes): SASRec's
 * ranking time (top-50 in the SASRec worker), the re-rank step (LLM worker time and page round trip)
 * and the generation time of each explanation. Prints medians; every request must stay on the origin.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { leaveOneOut } from '../../src/data/split.ts';
import { launchChromium } from '../../test/e2e/helpers/browser.ts';
import { e2eModels } from '../../test/e2e/helpers/models-dir.ts';
import { buildAndServe } from '../../test/e2e/helpers/serve-page.ts';
import { requestsOutside } from '../../test/e2e/helpers/served-suite.ts';
import { CliArgs } from './cli-args.ts';
import { sampleUsers } from './eval-explain-report.ts';
import { loadModelDatasetOrSkip } from './model-data.ts';
import { labelOf, tryAdd } from './page-driver.ts';

const USAGE =
  'usage: npm run eval:explain-page -- [--users N] [--length L] [--seed S] [--gguf <file>] [--json out.json]';

/** The page's figures for one request with the language model on. */
interface RequestFigures {
  historyLength: number;
  rankMs: number;
  rerankMs: number;
  rerankRoundTripMs: number;
  /** [≥ 20] generation time of each explanation of this list, ms */
  explainMs: number[];
  /** verbaliser of each of the 20 lines */
  verbalisers: string[];
  /** explanations timed on the page so far (all lists) */
  explainedTotal: number;
}

const median = (xs: readonly number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  const n = sorted.length;
  return n === 0 ? NaN : n % 2 ? sorted[n >> 1] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
};

/** The list's data-* figures once the re-ranked list of this request and all its explanations are shown. */
async function awaitReranked(
  page: Page,
  reranksBefore: number,
  explainedBefore: number,
): Promise<RequestFigures> {
  const source = page.getByTestId('list-source');
  for (const started = Date.now(); Date.now() - started < 120_000; await page.waitForTimeout(50)) {
    const reranks = await page.evaluate(() => (globalThis as unknown as { reranksSeen: number }).reranksSeen);
    const explainAttr = (await source.getAttribute('data-explain-ms')) ?? '';
    const explainMs = explainAttr
      .split(' ')
      .filter((s) => s !== '')
      .map(Number);
    const verbalisers = await page.getByTestId('verbaliser').allTextContents();
    if (reranks > reranksBefore && verbalisers.length === 20 && explainMs.length >= explainedBefore + 20) {
      const attr = async (name: string) => Number(await source.getAttribute(name));
      return {
        historyLength: await page.getByRole('list', { name: 'History' }).getByRole('listitem').count(),
        rankMs: await attr('data-rank-ms'),
        rerankMs: await attr('data-rerank-ms'),
        rerankRoundTripMs: await attr('data-rerank-round-trip-ms'),
        explainMs: explainMs.slice(explainedBefore),
        verbalisers,
        explainedTotal: explainMs.length,
      };
    }
  }
  throw new Error('the page did not show a re-ranked, explained list within 120 s');
}

/** Pick `path` in the Models panel and wait until the page uses it as its language model. */
async function useUserGguf(page: Page, path: string): Promise<void> {
  await page.getByLabel('Model files', { exact: true }).setInputFiles({
    name: basename(path),
    mimeType: 'application/octet-stream',
    buffer: readFileSync(path),
  });
  const checkbox = page.getByRole('checkbox', { name: /Language model/ });
  for (const started = Date.now(); !(await checkbox.isChecked()); await page.waitForTimeout(100)) {
    if (Date.now() - started > 120_000)
      throw new Error(`the page did not take ${path} as its language model`);
  }
  console.log(await page.getByTestId('user-llm-loaded').textContent());
}

async function main(argv: string[]): Promise<void> {
  const args = new CliArgs(argv, USAGE);
  const users = args.number('users', 10);
  const length = args.number('length', 5);
  const seed = args.number('seed', 7);
  const gguf = args.get('gguf');
  const root = resolve('.');
  const models = e2eModels(root);
  if (models.source !== 'repo')
    throw new Error('models/ has no default SASRec model; the rec-tuned LLM needs it');
  const dataset = await loadModelDatasetOrSkip(join(models.dir, models.modelId));
  if (!dataset) throw new Error('the data set of the default model is missing (see its manifest)');
  const cases = leaveOneOut(dataset).test;
  const served = await buildAndServe(root, models.dir);
  const browser = await launchChromium({ webgpu: false });
  const requested: string[] = [];
  browser.context.on('request', (r) => requested.push(r.url()));
  const figures: RequestFigures[] = [];
  let skipped = 0;
  try {
    const page = await browser.context.newPage();
    await page.goto(served.url);
    await page.getByRole('checkbox', { name: /Language model/ }).waitFor();
    // count the lists shown as re-ranked (data-source turning to 'sasrec+llm' anywhere in the section)
    await page.evaluate(() => {
      const g = globalThis as unknown as { reranksSeen: number };
      g.reranksSeen = 0;
      new MutationObserver((records) => {
        for (const r of records)
          if ((r.target as Element).getAttribute('data-source') === 'sasrec+llm') g.reranksSeen++;
      }).observe(document.body, { attributes: true, subtree: true, attributeFilter: ['data-source'] });
    });
    for (const caseIndex of sampleUsers(cases.length, users, seed)) {
      const clear = page.getByRole('button', { name: 'Clear', exact: true });
      if (await clear.isEnabled()) await clear.click();
      if (
        figures.length === 0 &&
        !(await page.getByRole('checkbox', { name: /Language model/ }).isChecked())
      ) {
        await tryAdd(page, labelOf(dataset, cases[caseIndex].history.at(-1) ?? 1)); // a model must be loaded first
        if (gguf) await useUserGguf(page, gguf);
        else await page.getByRole('checkbox', { name: /Language model/ }).check();
        await page.getByRole('button', { name: 'Clear', exact: true }).click();
      }
      for (const id of Array.from(cases[caseIndex].history).slice(-length)) {
        const before = await page.evaluate(
          () => (globalThis as unknown as { reranksSeen: number }).reranksSeen,
        );
        const explained = figures.at(-1)?.explainedTotal ?? 0;
        if (!(await tryAdd(page, labelOf(dataset, id)))) {
          skipped++;
          continue;
        }
        figures.push(await awaitReranked(page, before, explained));
      }
    }
  } finally {
    await browser.close();
    await served.close();
  }
  const foreign = requestsOutside(requested, served.origin);
  const explainMs = figures.flatMap((f) => f.explainMs);
  const verbalisers = figures.flatMap((f) => f.verbalisers);
  const summary = {
    requests: figures.length,
    skippedTitles: skipped,
    sasrecRankTop50MedianMs: median(figures.map((f) => f.rankMs)),
    rerankWorkerMedianMs: median(figures.map((f) => f.rerankMs)),
    rerankRoundTripMedianMs: median(figures.map((f) => f.rerankRoundTripMs)),
    explanations: explainMs.length,
    explainMedianMs: median(explainMs),
    linesByLlm: verbalisers.filter((v) => v === '(language model)').length,
    linesByTemplate: verbalisers.filter((v) => v.startsWith('(template')).length,
    languageModel: gguf ? `${basename(gguf)} (picked, prompted)` : "the registry's llama-rec model",
    requestsOffOrigin: foreign.length,
  };
  console.log(JSON.stringify(summary, null, 1));
  const json = args.get('json');
  if (json) writeFileSync(json, JSON.stringify({ summary, figures }, null, 1));
  if (foreign.length > 0) throw new Error(`requests left the origin: ${foreign.join(', ')}`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
  process.exit(1);
});
