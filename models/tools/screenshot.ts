/**
 * `npm run docs:screenshot -- [--out docs/screenshot.png] [--webgpu]`
 *
 * Builds and serves the page, adds a short history of well-known movies through the search box as a
 * visitor does, turns the language model on, waits for the re-ranked list and its explanations,
 * opens the first "Why this?" panel and writes a PNG of the viewport (the README's picture).
 */
import { join, resolve } from 'node:path';
import type { Dataset } from '../../src/data/types.ts';
import { launchChromium } from '../../test/e2e/helpers/browser.ts';
import { e2eModels } from '../../test/e2e/helpers/models-dir.ts';
import { buildAndServe } from '../../test/e2e/helpers/serve-page.ts';
import { CliArgs } from './cli-args.ts';
import { loadModelDatasetOrSkip } from './model-data.ts';
import { labelOf, tryAdd } from './page-driver.ts';

const USAGE = 'usage: npm run docs:screenshot -- [--out docs/screenshot.png] [--webgpu]';
/** The visitor's history, oldest first (titles as the catalog spells them). */
const HISTORY = ['Toy Story', 'Alien', 'Aliens', 'Terminator 2: Judgment Day', 'Groundhog Day', 'Heat'];

/** Dense id of the first catalog item titled `title`. */
function idOfTitle(dataset: Dataset, title: string): number {
  const index = dataset.items.findIndex((item) => item.title === title);
  if (index < 0) throw new Error(`"${title}" is not in the catalog: change HISTORY in ${import.meta.url}`);
  return index + 1;
}

async function main(argv: string[]): Promise<void> {
  const args = new CliArgs(argv, USAGE);
  const out = resolve(args.get('out') ?? 'docs/screenshot.png');
  const root = resolve('.');
  const models = e2eModels(root);
  if (models.source !== 'repo') throw new Error('models/ has no default SASRec model to show');
  const dataset = await loadModelDatasetOrSkip(join(models.dir, models.modelId));
  if (!dataset) throw new Error('the data set of the default model is missing (see its manifest)');
  const served = await buildAndServe(root, models.dir);
  const browser = await launchChromium({ webgpu: args.has('webgpu') });
  try {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1280, height: 1500 });
    await page.goto(served.url);
    for (const title of HISTORY) {
      const label = labelOf(dataset, idOfTitle(dataset, title));
      if (!(await tryAdd(page, label))) throw new Error(`the search box did not offer ${label}`);
    }
    await page.getByRole('checkbox', { name: /Language model/ }).check();
    await page.locator('[data-testid="list-source"][data-source="sasrec+llm"]').waitFor({ timeout: 120_000 });
    await page.getByTestId('verbaliser').nth(4).waitFor({ timeout: 120_000 });
    await page.getByText('Why this?').first().click();
    await page.getByRole('searchbox', { name: 'Title' }).fill('');
    await page.waitForTimeout(500);
    await page.screenshot({ path: out });
    console.log(`wrote ${out}`);
  } finally {
    await browser.close();
    await served.close();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
  process.exit(1);
});
