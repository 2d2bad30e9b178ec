/**
 * npm run eval:interest — TALLRec interest AUC (issue 4): trains stories260K + LoRA + item tokens with
 * models/train/rec_interest.py on MovieLens-100K (16 / 64 / 256 samples × seeds, baselines in the same
 * run), then scores the exported last run's test set with OUR runtime (base + item rows, LoRA merged by
 * src/llm/lora.ts, src/rec/interest.ts on CpuOps) and prints its AUC next to PyTorch's.
 *
 * usage: npm run eval:interest -- [--data ../shared/data/ml-100k] [--out dir] [--sizes 16,64,256]
 *   [--seeds 3] [--steps 60] [--test-cap 1000] [--stories dir] [--json results.json]
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CliArgs } from './cli-args.ts';
import { findTorchPython, PythonTorchMissingError, run } from './python.ts';
import { runtimeInterest } from './rec-interest-runtime.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const USAGE =
  'usage: npm run eval:interest -- [--data ../shared/data/ml-100k] [--out dir] [--sizes 16,64,256] [--seeds 3]';

/** Mean ± sd of a test AUC over seeds. */
interface MeanSd {
  mean: number;
  sd: number;
  n: number;
}

async function main(argv: string[]): Promise<void> {
  const args = new CliArgs(argv, USAGE);
  const python = findTorchPython();
  if (!python) throw new PythonTorchMissingError('PyTorch not found: apt-get install python3-torch');
  const out = args.get('out') ?? join(tmpdir(), 'localrec-interest');
  mkdirSync(out, { recursive: true });
  const stories = args.get('stories') ?? resolve(ROOT, '../shared/models/stories260K');
  const results = join(out, 'results.json');
  const exportDir = join(out, 'export');
  await run(python, [
    join(ROOT, 'models/train/rec_interest.py'),
    ...['--data', args.get('data') ?? resolve(ROOT, '../shared/data/ml-100k')],
    ...['--base', join(stories, 'stories260K.bin'), '--tokenizer', join(stories, 'tok512.bin')],
    ...['--out', results, '--export', exportDir],
    ...['--sizes', args.get('sizes') ?? '16,64,256', '--seeds', String(args.number('seeds', 3))],
    ...['--steps', String(args.number('steps', 60)), '--test-cap', String(args.number('test-cap', 1000))],
  ]);
  const report = JSON.parse(readFileSync(results, 'utf8')) as Record<string, unknown> & {
    summary: Record<string, MeanSd>;
    sasrecSummary: Record<string, MeanSd>;
    baselines: Record<string, number>;
    untunedBase: number;
  };
  const ours = await runtimeInterest(exportDir);
  const cell = (s: MeanSd) => `${(100 * s.mean).toFixed(2)} ± ${(100 * s.sd).toFixed(2)}`;
  console.log(
    '\n| training samples | LLM AUC (mean ± sd over seeds) | SASRec AUC, same samples | seeds |\n|---|---|---|---|',
  );
  for (const [size, s] of Object.entries(report.summary))
    console.log(`| ${size} | ${cell(s)} | ${cell(report.sasrecSummary[size])} | ${s.n} |`);
  for (const [name, v] of Object.entries(report.baselines))
    console.log(`baseline ${name}: ${(100 * v).toFixed(2)}`);
  console.log(`untuned base: ${(100 * report.untunedBase).toFixed(2)}`);
  console.log(
    `last run, ${ours.n} test samples: PyTorch AUC ${(100 * ours.torchAuc).toFixed(4)}, our runtime ${(100 * ours.auc).toFixed(4)}, ` +
      `max |ΔP(yes)| ${ours.maxDiff.toExponential(2)}`,
  );
  const json = args.get('json');
  if (json) writeFileSync(json, JSON.stringify({ ...report, runtime: ours }, null, 1));
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
