/**
 * npm run eval:interest — TALLRec interest AUC (issue 4): trains stories260K + LoRA + item tokens with
 * models/train/rec_interest.py on MovieLens-100K (16 / 64 / 256 samples × seeds, baselines in the same
 * run), then scores the exported last run's test set with OUR runtime (base + item rows, LoRA merged by
 * src/llm/lora.ts, src/rec/interest.ts on CpuOps) and prints its AUC next to PyTorch's.
 * The defaults are the recipe (RECIPE below; docs/BENCHMARKS.md says what each option means): chosen
 * on validation among the settings that keep TALLRec's few-shot budget — no MovieLens-100K label
 * enters training except the N samples and the early-stopping validation samples, so the item
 * statistics come from ml-latest-small (genres+external), not from the ML-100K training pool
 * (genres+stats, which scored higher on validation but reads 72k ML-100K labels); --no-stage1
 * leaves out the ml-latest-small stage-1 tuning, --evaluate valid reports on
 * validation samples instead of test (for choosing a recipe).
 *
 * usage: npm run eval:interest -- [--data ../shared/data/ml-100k] [--out dir] [--sizes 16,64,256]
 *   [--seeds 3] [--steps N] [--lr X] [--layout grouped|marked]
 *   [--features genres|genres+stats|genres+external]
 *   [--valid-cap N] [--stage1 dir | --no-stage1] [--stage1-steps N] [--stage1-state file-prefix]
 *   [--stage1-shared (one stage-1 model for every seed)] [--external dir]
 *   [--evaluate test|valid] [--test-cap 1000] [--stories dir] [--json results.json]
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CliArgs } from './cli-args.ts';
import { findTorchPython, PythonTorchMissingError, run } from './python.ts';
import { runtimeInterest } from './rec-interest-runtime.ts';

const ROOT = resolve(import.meta.dirname, '../..');
/** ml-latest-small: stage-1 data and the source of the genres+external item statistics */
const STAGE1_DATA = resolve(ROOT, '../shared/data/ml-latest-small');
const USAGE =
  'usage: npm run eval:interest -- [--data ../shared/data/ml-100k] [--out dir] [--sizes 16,64,256] [--seeds 3] ' +
  '[--layout grouped|marked] [--features genres|genres+stats|genres+external] ' +
  '[--stage1 dir | --no-stage1] [--evaluate test|valid]';

/** rec_interest.py options forwarded with these defaults (the recipe picked on validation). */
const RECIPE: Record<string, string> = {
  sizes: '16,64,256',
  seeds: '3',
  steps: '100',
  lr: '3e-4',
  layout: 'marked',
  features: 'genres+external',
  'valid-cap': '500',
  'stage1-steps': '600',
  evaluate: 'test',
  'test-cap': '1000',
};

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
  const stage1 = args.has('no-stage1') ? [] : ['--stage1', args.get('stage1') ?? STAGE1_DATA];
  const stage1State = args.get('stage1-state');
  await run(python, [
    join(ROOT, 'models/train/rec_interest.py'),
    ...['--data', args.get('data') ?? resolve(ROOT, '../shared/data/ml-100k')],
    ...['--base', join(stories, 'stories260K.bin'), '--tokenizer', join(stories, 'tok512.bin')],
    ...['--out', results, '--export', exportDir],
    ...Object.entries(RECIPE).flatMap(([name, value]) => [`--${name}`, args.get(name) ?? value]),
    ...stage1,
    ...['--external', args.get('external') ?? STAGE1_DATA],
    ...(stage1State && stage1.length ? ['--stage1-state', stage1State] : []),
    ...(stage1.length && !args.has('stage1-shared') ? ['--stage1-each-seed'] : []),
  ]);
  const report = JSON.parse(readFileSync(results, 'utf8')) as Record<string, unknown> & {
    evaluatedOn: string;
    summary: Record<string, MeanSd>;
    sasrecSummary: Record<string, MeanSd>;
    validSummary?: Record<string, MeanSd>;
    baselines: Record<string, number>;
    untunedBase: number;
    stage1NoShot?: MeanSd;
  };
  const ours = await runtimeInterest(exportDir);
  const pct = (v: number) => (100 * v).toFixed(2);
  const cell = (s: MeanSd | undefined) => (s ? `${pct(s.mean)} ± ${pct(s.sd)}` : '–');
  const on = report.evaluatedOn;
  console.log(
    `\n| training samples | LLM AUC on ${on} (mean ± sd over seeds) | SASRec AUC, same samples | early-stopping ` +
      'validation AUC | seeds |\n|---|---|---|---|---|',
  );
  for (const [size, s] of Object.entries(report.summary)) {
    const row = [size, cell(s), cell(report.sasrecSummary[size]), cell(report.validSummary?.[size]), s.n];
    console.log(`| ${row.join(' | ')} |`);
  }
  for (const [name, v] of Object.entries(report.baselines)) console.log(`baseline ${name}: ${pct(v)}`);
  console.log(`untuned base: ${pct(report.untunedBase)}`);
  if (report.stage1NoShot) console.log(`stage-1 model, no ML-100K sample: ${cell(report.stage1NoShot)}`);
  console.log(
    `last run, ${ours.n} ${on} samples: PyTorch AUC ${(100 * ours.torchAuc).toFixed(4)}, our runtime ` +
      `${(100 * ours.auc).toFixed(4)}, max |ΔP(yes)| ${ours.maxDiff.toExponential(2)}`,
  );
  const json = args.get('json');
  if (json) writeFileSync(json, JSON.stringify({ ...report, runtime: ours }, null, 1));
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
