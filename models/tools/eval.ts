/**
 * `npm run eval -- --model models/<id> [--data <path|name>] [--backend cpu|cpu-reference|webgpu|onnx] [--split test|valid]
 *   [--limit N] [--json out.json] [--compare models/<other id>]
 *   [--pipeline sasrec|sasrec+llm --llm models/<llama-rec id> [--scheme q8_0|q4_0|f32] [--weight w]]`
 *
 * Leave-one-out evaluation through the same engine code the page runs: full ranking over all items
 * and 100 sampled negatives (seeded), history items excluded, pessimistic ties. Prints a table and
 * writes JSON (default: <model>/eval-<split>-<backend>.json). `--compare` also evaluates a second model
 * on the same cases and adds paired-bootstrap intervals of the per-user differences (this − other).
 * `--pipeline sasrec+llm` evaluates SASRec's top-C re-ranked by the rec-tuned LLM (models/tools/
 * rec-pipeline-eval.ts) against SASRec alone on the same cases, with the recall@C ceiling and latency.
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { leaveOneOut } from '../../src/data/split.ts';
import { compareEvaluations, formatComparison } from '../../src/eval/compare.ts';
import { evaluate, type EvaluationResult } from '../../src/eval/protocols.ts';
import type { EvalCase } from '../../src/data/split.ts';
import { formatMetricsTable } from '../../src/eval/report.ts';
import { CliArgs } from './cli-args.ts';
import { loadModelDataset } from './model-data.ts';
import { oneOf } from './quant-cli.ts';
import { runPipelineEval } from './rec-pipeline-eval.ts';
import { createScorer, type BackendName } from './scorers.ts';

const USAGE = `usage: npm run eval -- --model models/<id> [--data <path|name>] [--backend cpu|cpu-reference|webgpu|onnx]
  [--split test|valid] [--limit N] [--json out.json] [--compare models/<other id>]
  [--pipeline sasrec|sasrec+llm --llm models/<llama-rec id> [--scheme q8_0|q4_0|f32] [--weight w]]`;

async function main(argv: string[]): Promise<void> {
  const args = new CliArgs(argv, USAGE);
  const modelDir = resolve(args.need('model'));
  const backend = (args.get('backend') ?? 'cpu') as BackendName;
  const split = args.get('split') ?? 'test';
  const dataset = await loadModelDataset(modelDir, args.get('data'));
  const loo = leaveOneOut(dataset);
  const all = split === 'valid' ? loo.valid : loo.test;
  const cases = all.slice(0, args.number('limit', all.length));
  if (
    oneOf('pipeline', args.get('pipeline') ?? 'sasrec', ['sasrec', 'sasrec+llm'] as const, USAGE) ===
    'sasrec+llm'
  ) {
    await runPipelineEval(args, { modelDir, backend, split, cases, dataset, argv });
    return;
  }
  const started = performance.now();
  const {
    result,
    id: modelId,
    backendLabel,
  } = await evaluateModel(modelDir, backend, cases, dataset.items.length);
  const seconds = (performance.now() - started) / 1000;
  const otherDir = args.get('compare');
  const other = otherDir
    ? await evaluateModel(resolve(otherDir), backend, cases, dataset.items.length)
    : undefined;
  const comparison = other ? compareEvaluations(result, other.result) : undefined;
  const report = {
    model: modelId,
    data: dataset.name,
    split,
    backend: backendLabel,
    users: cases.length,
    seconds: Math.round(seconds * 10) / 10,
    full: result.full.metrics,
    sampled: result.sampled.metrics,
    command: `npm run eval -- ${argv.join(' ')}`,
    ...(other && comparison ? { comparedWith: other.id, comparison } : {}),
  };
  console.log(
    formatMetricsTable([
      { label: 'full', metrics: report.full },
      { label: 'sampled', metrics: report.sampled },
    ]),
  );
  console.log(
    `${report.users} users, ${report.data} ${split}, backend ${report.backend}, ${report.seconds} s`,
  );
  if (other && comparison) {
    console.log(`\npaired bootstrap (1000 resamples over users): A = ${modelId}, B = ${other.id}`);
    console.log(formatComparison(comparison, 'A', 'B'));
  }
  const out = args.get('json') ?? join(modelDir, `eval-${split}-${backend}.json`);
  writeFileSync(out, JSON.stringify(report, null, 1));
  console.log(`wrote ${out}`);
}

/** Scores every case with one model's scorer under both protocols. */
async function evaluateModel(
  modelDir: string,
  backend: BackendName,
  cases: readonly EvalCase[],
  itemCount: number,
): Promise<{ result: EvaluationResult; id: string; backendLabel: string }> {
  const scorer = await createScorer(modelDir, backend);
  try {
    const result = await evaluate(cases, scorer.score, { itemCount });
    return { result, id: scorer.id, backendLabel: scorer.backendLabel };
  } finally {
    scorer.dispose();
  }
}

main(process.argv.slice(2)).catch((e: Error) => {
  console.error(`${e.name}: ${e.message}`);
  process.exit(1);
});
