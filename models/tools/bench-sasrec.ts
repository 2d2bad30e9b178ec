/**
 * `npm run bench:sasrec -- [--model models/<id>] [--runs N] [--warmup N] [--lengths 50,200] [--no-docs]`
 *
 * Builds bench.html (vite build), serves it on 127.0.0.1, opens it in headless Debian Chromium
 * (SwiftShader WebGPU), waits for the bench worker's report, prints the Markdown tables and writes
 * docs/bench-sasrec.json plus the marked section of docs/BENCHMARKS.md (skipped with --no-docs).
 * Without --model: the first model under models/ with the ML-1M shape (3416 items, d 50, 2 blocks,
 * 1 head, maxLen 200) and an ONNX export.
 */
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { modelFiles } from '../../src/build/serve-models.ts';
import { replaceMarkedSection } from '../../src/bench/docs-section.ts';
import { parseBenchReport, type BenchReport } from '../../src/bench/report.ts';
import { benchMarkdown, type RunInfo } from '../../src/bench/table.ts';
import { buildAndServePage, runBenchPage } from './bench-page.ts';
import { CliArgs, UsageError } from './cli-args.ts';

const USAGE = `usage: npm run bench:sasrec -- [--model models/<id>] [--runs N] [--warmup N] [--lengths 50,200] [--no-docs]`;
const ROOT = resolve(import.meta.dirname, '../..');
const ML1M_SHAPE = { itemCount: 3416, hiddenUnits: 50, blocks: 2, heads: 1, maxLen: 200 };
const PAGE_TIMEOUT_MS = 45 * 60_000;

interface ManifestHead {
  id: string;
  /** absent in llama-rec manifests */
  config?: Record<string, unknown>;
  onnx?: unknown;
  provenance?: { dataset?: string; run?: { seed?: number } | string };
}

function readManifest(dir: string): ManifestHead | undefined {
  const path = join(dir, 'manifest.json');
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as ManifestHead) : undefined;
}

/** The --model directory, or the first ML-1M-shaped model with an ONNX export under models/. */
function chooseModel(given: string | undefined): string {
  if (given) {
    const dir = resolve(given);
    const manifest = readManifest(dir);
    if (!manifest) throw new UsageError(`${dir} has no manifest.json; pass a model directory\n${USAGE}`);
    if (!manifest.onnx)
      throw new UsageError(`${dir}: the manifest has no ONNX export, which the ORT rows need`);
    return dir;
  }
  const modelsDir = join(ROOT, 'models');
  for (const name of readdirSync(modelsDir).sort()) {
    const manifest = readManifest(join(modelsDir, name));
    const config = manifest?.config; // llama-rec manifests have none: skipped
    const shaped = config !== undefined && Object.entries(ML1M_SHAPE).every(([k, v]) => config[k] === v);
    if (shaped && manifest?.onnx) return join(modelsDir, name);
  }
  throw new UsageError(
    'no model of the ML-1M shape (3416 items, d 50, 2 blocks, 1 head, maxLen 200) with an ONNX export under models/. ' +
      'Train one, or make a random one for latency only:\n  /usr/bin/python3 models/train/make_fixture.py ' +
      '--out /tmp/sasrec-ml1m-random --items 3416 --hidden 50 --max-len 200\nthen pass --model /tmp/sasrec-ml1m-random',
  );
}

/** For random-weight models (make_fixture.py), the command that recreates `dir`. */
function setupCommand(manifest: ManifestHead, dir: string): string | undefined {
  const c = manifest.config;
  if (manifest.provenance?.dataset !== 'random' || c === undefined) return undefined;
  const run = manifest.provenance.run;
  const seed = typeof run === 'object' && run.seed !== undefined ? ` --seed ${run.seed}` : '';
  const heads = c.heads === 1 ? '' : ` --heads ${String(c.heads)}`;
  return (
    `/usr/bin/python3 models/train/make_fixture.py --out ${dir} --items ${String(c.itemCount)} ` +
    `--hidden ${String(c.hiddenUnits)} --max-len ${String(c.maxLen)}${heads}${seed}`
  );
}

/** A temporary models directory holding only `modelDir` (registered), for the build plugin. */
function stageModel(modelDir: string, id: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'localrec-bench-models-'));
  mkdirSync(join(dir, id));
  for (const file of modelFiles(modelDir)) copyFileSync(join(modelDir, file), join(dir, id, file));
  writeFileSync(
    join(dir, 'registry.json'),
    JSON.stringify({ default: id, models: [{ id, arch: 'sasrec', page: true }] }),
  );
  return dir;
}

/** Write docs/bench-sasrec.json and the marked section of docs/BENCHMARKS.md. */
function writeDocs(report: BenchReport, run: RunInfo, markdown: string): void {
  const jsonPath = join(ROOT, 'docs/bench-sasrec.json');
  writeFileSync(jsonPath, `${JSON.stringify({ ...run, ...report }, null, 1)}\n`);
  const mdPath = join(ROOT, 'docs/BENCHMARKS.md');
  const previous = existsSync(mdPath) ? readFileSync(mdPath, 'utf8') : null;
  writeFileSync(mdPath, replaceMarkedSection(previous, markdown));
  console.log(`wrote ${relative(ROOT, jsonPath)} and the bench:sasrec section of ${relative(ROOT, mdPath)}`);
}

async function main(argv: string[]): Promise<void> {
  const args = new CliArgs(argv, USAGE);
  const modelDir = chooseModel(args.get('model'));
  const manifest = readManifest(modelDir) as ManifestHead; // chooseModel checked it exists
  const id = manifest.id;
  const query = new URLSearchParams({
    model: id,
    runs: String(args.number('runs', 20)),
    warmup: String(args.number('warmup', 3)),
    lengths: args.get('lengths') ?? '50,200',
  });
  const modelsDir = stageModel(modelDir, id);
  process.env.LOCALREC_MODELS_DIR = modelsDir; // serve-models copies the staged model into the build
  const served = await buildAndServePage(ROOT, join(ROOT, 'bench.html'));
  const loadBefore = loadavg()[0];
  let report: BenchReport;
  try {
    console.log(`bench page: ${served.origin}/bench.html?${query}`);
    const text = await runBenchPage(`${served.origin}/bench.html?${query}`, served.origin, PAGE_TIMEOUT_MS, [
      'data:',
    ]);
    report = parseBenchReport(JSON.parse(text));
  } finally {
    await served.close();
    rmSync(modelsDir, { recursive: true, force: true });
  }
  const load = { before: loadBefore, after: loadavg()[0], cores: availableParallelism() };
  const shownModel = modelDir.startsWith(ROOT) ? relative(ROOT, modelDir) : modelDir;
  const command = [
    'npm run bench:sasrec --',
    `--model ${shownModel}`,
    `--runs ${query.get('runs')}`,
    `--warmup ${query.get('warmup')}`,
    `--lengths ${query.get('lengths')}`,
  ].join(' ');
  const setup = setupCommand(manifest, shownModel);
  const run: RunInfo = {
    command,
    date: new Date().toISOString().slice(0, 10),
    load,
    ...(setup ? { setup } : {}),
  };
  const markdown = benchMarkdown(report, run);
  console.log(`\n${markdown}\n`);
  if (args.has('no-docs')) console.log('--no-docs: docs/ left unchanged');
  else writeDocs(report, run, markdown);
}

main(process.argv.slice(2)).catch((e: Error) => {
  console.error(`${e.name}: ${e.message}`);
  process.exit(1);
});
