/**
 * npm run eval:align — RecExplainer alignment of the rec-tuned LLM with SASRec (issue 4): for each
 * test user, SASRec's top-C candidates are shown to the LLM in a SEEDED SHUFFLED order (so the prompt's
 * order does not give SASRec's answer away) and ranked by their item-token logits; the label is
 * SASRec's own top item. H@5 / N@5 against random (expected), popularity (training-split counts, the
 * same candidates) and the LLM given the candidates in SASRec's order (the order it was tuned on).
 *
 * usage: npm run eval:align -- --model models/ml-latest-small-sasrec --llm models/ml-latest-small-llama-rec
 *   [--scheme f32|q8_0|q4_0] [--split test|valid] [--limit N] [--seed 7] [--json out.json]
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { leaveOneOut } from '../../src/data/split.ts';
import { topCandidates } from '../../src/rec/pipeline.ts';
import { CliArgs } from './cli-args.ts';
import { hitNdcgAt, pessimisticRank, randomHitNdcgAt, seededPermutation } from './eval-align-metrics.ts';
import { loadModelDataset } from './model-data.ts';
import { oneOf } from './quant-cli.ts';
import { loadRecLlm } from './rec-pipeline-scorer.ts';
import { createScorer } from './scorers.ts';

const USAGE =
  'usage: npm run eval:align -- --model models/<sasrec id> --llm models/<llama-rec id> [--scheme f32] [--limit N]';
const K = 5;

async function main(argv: string[]): Promise<void> {
  const args = new CliArgs(argv, USAGE);
  const modelDir = resolve(args.need('model'));
  const scheme = oneOf('scheme', args.get('scheme') ?? 'f32', ['f32', 'q8_0', 'q4_0'] as const, USAGE);
  const split = oneOf('split', args.get('split') ?? 'test', ['test', 'valid'] as const, USAGE);
  const seed = args.number('seed', 7);
  const dataset = await loadModelDataset(modelDir, args.get('data'));
  const loo = leaveOneOut(dataset);
  const all = split === 'valid' ? loo.valid : loo.test;
  const cases = all.slice(0, args.number('limit', all.length));
  const popularity = new Float32Array(dataset.items.length + 1); // [N + 1] training-split counts
  for (const s of dataset.sequences)
    for (const id of s.subarray(0, Math.max(s.length - 2, 0))) popularity[id]++;
  const sasrec = await createScorer(modelDir, 'cpu');
  const llm = loadRecLlm(resolve(args.need('llm')), scheme);
  const count = llm.manifest.candidates;
  const ranks = { llmShuffled: [] as number[], llmSasrecOrder: [] as number[], popularity: [] as number[] };
  for (const [n, c] of cases.entries()) {
    const candidates = topCandidates(await sasrec.score(c.history), c.history, count); // ids [C], best first
    const order = seededPermutation(count, seed + n); // [C] shown position → SASRec index
    const shown = Int32Array.from(order, (i) => candidates.ids[i]); // [C]
    const label = order.indexOf(0); // SASRec's top item among the shown candidates
    ranks.llmShuffled.push(pessimisticRank(await llm.reranker.candidateLogits(c.history, shown), label));
    ranks.llmSasrecOrder.push(
      pessimisticRank(await llm.reranker.candidateLogits(c.history, candidates.ids), 0),
    );
    ranks.popularity.push(
      pessimisticRank(
        Array.from(candidates.ids, (id) => popularity[id]),
        0,
      ),
    );
  }
  sasrec.dispose();
  const rows = {
    random: randomHitNdcgAt(count, K),
    popularity: hitNdcgAt(ranks.popularity, K),
    llmShuffled: hitNdcgAt(ranks.llmShuffled, K),
    llmSasrecOrder: hitNdcgAt(ranks.llmSasrecOrder, K),
  };
  console.log(
    `\n| ranking of SASRec's top-${count} (label: SASRec's top item) | H@${K} | N@${K} |\n|---|---|---|`,
  );
  for (const [name, m] of Object.entries(rows))
    console.log(`| ${name} | ${m.hr.toFixed(4)} | ${m.ndcg.toFixed(4)} |`);
  console.log(`${cases.length} ${dataset.name} ${split} users; ${llm.file}; seed ${seed}`);
  const json = args.get('json');
  if (json) {
    const report = {
      data: dataset.name,
      split,
      users: cases.length,
      llm: llm.manifest.id,
      file: llm.file,
      seed,
    };
    writeFileSync(
      json,
      JSON.stringify({ ...report, k: K, rows, command: `npm run eval:align -- ${argv.join(' ')}` }),
    );
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
