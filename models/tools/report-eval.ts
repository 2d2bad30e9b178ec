/**
 * `npm run report:eval -- <eval json> [<eval json> …]`: the accuracy section of docs/BENCHMARKS.md
 * (between `<!-- eval:sasrec:start -->` and `<!-- eval:sasrec:end -->`) from `npm run eval` outputs,
 * one table row per model × protocol, each with the command that reproduces it.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { replaceMarkedSection } from '../../src/bench/docs-section.ts';
import type { RankingMetrics } from '../../src/eval/metrics.ts';
import { formatMetricsTable } from '../../src/eval/report.ts';

/** What models/tools/eval.ts writes. */
interface EvalReport {
  model: string;
  data: string;
  split: string;
  backend: string;
  users: number;
  seconds: number;
  full: RankingMetrics;
  sampled: RankingMetrics;
  command?: string;
}

const MARKERS = { start: '<!-- eval:sasrec:start -->', end: '<!-- eval:sasrec:end -->' } as const;

/** Markdown for a set of eval reports. */
export function evalSection(reports: readonly EvalReport[]): string {
  const rows = reports.flatMap((r) =>
    (['full', 'sampled'] as const).map((p) => ({
      label: `${r.model} — ${r.data} ${r.split}, ${p}`,
      metrics: r[p],
    })),
  );
  const commands = reports.map(
    (r) =>
      `- ${r.model}: \`${r.command ?? 'npm run eval -- --model models/' + r.model}\` (backend ${r.backend}, ${r.seconds} s)`,
  );
  return `${formatMetricsTable(rows, 'model — data, protocol')}\n\nReproduce:\n${commands.join('\n')}`;
}

function main(files: string[]): void {
  if (files.length === 0) throw new Error('usage: npm run report:eval -- <eval json> [...]');
  const reports = files.map((f) => JSON.parse(readFileSync(resolve(f), 'utf8')) as EvalReport);
  const doc = resolve(import.meta.dirname, '../../docs/BENCHMARKS.md');
  const before = existsSync(doc) ? readFileSync(doc, 'utf8') : null;
  writeFileSync(doc, replaceMarkedSection(before, evalSection(reports), MARKERS));
  console.log(`updated ${relative(process.cwd(), doc)} from ${reports.length} report(s)`);
}

main(process.argv.slice(2));
