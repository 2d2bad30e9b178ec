/**
 * `npm run bench:llm -- [--model <file.gguf>] [--prompt 128] [--decode 128] [--warmup 1] [--runs 5] [--no-docs]`
 *
 * Builds bench-llm.html, copies the GGUF (default ../shared/models/stories260K/stories260K.gguf) into
 * the served directory, runs the page in headless Chromium: ours on WebGPU (SwiftShader) and on
 * FastCpuOps vs wllama (llama.cpp wasm, 1 thread) on the same file, plus the copy-kernel
 * bandwidth. Prints the table and writes docs/bench-llm.json and the bench:llm section of
 * docs/BENCHMARKS.md (skipped with --no-docs).
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { basename, join, relative, resolve } from 'node:path';
import { replaceMarkedSection } from '../../src/bench/docs-section.ts';
import { llmBenchMarkdown, type LlmBenchReport } from '../../src/bench/llm-report.ts';
import { buildAndServePage, runBenchPage } from './bench-page.ts';
import { CliArgs, UsageError } from './cli-args.ts';

const USAGE =
  'usage: npm run bench:llm -- [--model <file.gguf>] [--prompt 128] [--decode 128] [--warmup 1] [--runs 5] [--no-docs]';
const ROOT = resolve(import.meta.dirname, '../..');
const DEFAULT_MODEL = resolve(ROOT, '../shared/models/stories260K/stories260K.gguf');
const MARKERS = { start: '<!-- bench:llm:start -->', end: '<!-- bench:llm:end -->' };
const PAGE_TIMEOUT_MS = 30 * 60_000;

async function main(argv: string[]): Promise<void> {
  const args = new CliArgs(argv, USAGE);
  const model = resolve(args.get('model') ?? DEFAULT_MODEL);
  if (!existsSync(model)) throw new UsageError(`${model} not found; pass --model <file.gguf>\n${USAGE}`);
  const query = new URLSearchParams({
    model: basename(model),
    prompt: String(args.number('prompt', 128)),
    decode: String(args.number('decode', 128)),
    warmup: String(args.number('warmup', 1)),
    runs: String(args.number('runs', 5)),
  });
  const served = await buildAndServePage(ROOT, join(ROOT, 'bench-llm.html'));
  const loadBefore = loadavg()[0];
  let report: LlmBenchReport;
  try {
    mkdirSync(join(served.outDir, 'llm'), { recursive: true });
    copyFileSync(model, join(served.outDir, 'llm', basename(model)));
    const url = `${served.origin}/bench-llm.html?${query}`;
    console.log(`bench page: ${url}`);
    report = JSON.parse(await runBenchPage(url, served.origin, PAGE_TIMEOUT_MS)) as LlmBenchReport;
  } finally {
    await served.close();
  }
  const shownModel = model.startsWith(resolve(ROOT, '..')) ? relative(ROOT, model) : model;
  const command = `npm run bench:llm -- --model ${shownModel} ${[...query.entries()]
    .filter(([k]) => k !== 'model')
    .map(([k, v]) => `--${k} ${v}`)
    .join(' ')}`;
  const load = `load average ${loadBefore.toFixed(1)} → ${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores`;
  const markdown = llmBenchMarkdown(report, { command, date: new Date().toISOString().slice(0, 10), load });
  console.log(`\n${markdown}\n`);
  if (args.has('no-docs')) {
    console.log('--no-docs: docs/ left unchanged');
    return;
  }
  writeFileSync(
    join(ROOT, 'docs/bench-llm.json'),
    `${JSON.stringify({ command, load, ...report }, null, 1)}\n`,
  );
  const mdPath = join(ROOT, 'docs/BENCHMARKS.md');
  const previous = existsSync(mdPath) ? readFileSync(mdPath, 'utf8') : '# LocalRec — measured figures\n';
  const withSection = previous.includes(MARKERS.start)
    ? previous
    : `${previous.trimEnd()}\n\n## LLM generation speed in the page\n\n${MARKERS.start}\n${MARKERS.end}\n`;
  writeFileSync(mdPath, replaceMarkedSection(withSection, markdown, MARKERS));
  console.log('wrote docs/bench-llm.json and the bench:llm section of docs/BENCHMARKS.md');
}

main(process.argv.slice(2)).catch((e: Error) => {
  console.error(`${e.name}: ${e.message}`);
  process.exit(1);
});
