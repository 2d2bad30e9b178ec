/**
 * `npm run eval -- --model models/<id> [--data <path|name>] [--backend cpu|cpu-reference|webgpu|onnx] [--split test|valid]
 *   [--limit N] [--json out.json]`
 *
 * Leave-one-out evaluation through the same engine code the page runs: full ranking over all items
 * and 100 sampled negatives (seeded), history items excluded, pessimistic ties. Prints a table and
 * writes JSON (default: <model>/eval-<split>-<backend>.json).
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { leaveOneOut } from '../../src/data/split.ts';
import { evaluate } from '../../src/eval/protocols.ts';
import { formatMetricsTable } from '../../src/eval/report.ts';
import { CliArgs } from './cli-args.ts';
import { loadModelDataset } from './model-data.ts';
import { createScorer, type BackendName } from './scorers.ts';

const USAGE = `usage: npm run eval -- --model models/<id> [--data <path|name>] [--backend cpu|cpu-reference|webgpu|onnx]
  [--split test|valid] [--limit N] [--json out.json]`;

async function main(argv: string[]): Promise<void> {
  const args = new CliArgs(argv, USAGE);
  const modelDir = resolve(args.need('model'));
  const backend = (args.get('backend') ?? 'cpu') as BackendName;
  const split = args.get('split') ?? 'test';
  const dataset = await loadModelDataset(modelDir, args.get('data'));
  const loo = leaveOneOut(dataset);
  const all = split === 'valid' ? loo.valid : loo.test;
  const cases = all.slice(0, args.number('limit', all.length));
  const scorer = await createScorer(modelDir, backend);
  const started = performance.now();
  const result = await evaluate(cases, scorer.score, { itemCount: dataset.items.length });
  const seconds = (performance.now() - started) / 1000;
  scorer.dispose();
  const report = {
    model: scorer.id,
    data: dataset.name,
    split,
    backend: scorer.backendLabel,
    users: cases.length,
    seconds: Math.round(seconds * 10) / 10,
    full: result.full.metrics,
    sampled: result.sampled.metrics,
    command: `npm run eval -- ${argv.join(' ')}`,
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
  const out = args.get('json') ?? join(modelDir, `eval-${split}-${backend}.json`);
  writeFileSync(out, JSON.stringify(report, null, 1));
  console.log(`wrote ${out}`);
}

main(process.argv.slice(2)).catch((e: Error) => {
  console.error(`${e.name}: ${e.message}`);
  process.exit(1);
});
