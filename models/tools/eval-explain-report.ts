/**
 * Output of `npm run eval:explain`: the metrics table and the human-readable sample
 * (docs/explanations-sample.md).
 */
import { writeFileSync } from 'node:fs';
import { Rng } from '../../src/eval/random.ts';
import type { ExplanationFacts } from '../../src/rec/explain-facts.ts';
import type { ExplanationSummary } from '../../src/rec/explain-metrics.ts';

/** One sampled explanation: the user's last history titles, the facts and each verbaliser's text. */
export interface SampleRow {
  history: string[];
  facts: ExplanationFacts;
  /** verbaliser name → text */
  texts: Record<string, string>;
}

const ratio = (v: number | null): string => (v === null ? '—' : v.toFixed(3));

/** Markdown table: one row per verbaliser. */
export function formatSummaryTable(rows: readonly { name: string; summary: ExplanationSummary }[]): string {
  const head =
    '| verbaliser | n | written by the LLM | hallucination | faithfulness | concept matching | concept overlap | Distinct-1 | Distinct-2 | median words | median ms |';
  const rule = '|---|---|---|---|---|---|---|---|---|---|---|';
  const body = rows.map(({ name, summary: s }) =>
    [
      name,
      s.count,
      s.llmWritten,
      `${(s.hallucinationRate * 100).toFixed(1)}%`,
      ratio(s.faithfulness),
      ratio(s.conceptMatching),
      ratio(s.conceptOverlap),
      s.distinct1.toFixed(3),
      s.distinct2.toFixed(3),
      s.medianWords,
      s.medianMs.toFixed(2),
    ].join(' | '),
  );
  return [head, rule, ...body.map((b) => `| ${b} |`)].join('\n');
}

/** Write the sample as Markdown. */
export function writeSample(
  path: string,
  rows: readonly SampleRow[],
  command: string,
  run: { model: string; data: string },
): void {
  const lines = [
    '# Explanation sample',
    '',
    `${rows.length} explanations of the top-ranked item for test users of ${run.data} (${run.model}),`,
    `users drawn with a fixed seed. Regenerate: \`${command}\`.`,
    "Drivers are the history items whose removal lowers the item's SASRec score most (occlusion).",
    '',
  ];
  rows.forEach((row, i) => {
    const f = row.facts;
    lines.push(`## ${i + 1}. ${f.title}`, '');
    lines.push(`- last watched: ${row.history.join(' · ')}`);
    lines.push(`- profile: ${f.profileLine}`);
    lines.push(
      `- drivers (score drop): ${f.drivers.map((d) => `${d.title} (${d.drop.toFixed(3)})`).join(', ') || 'none'}`,
    );
    lines.push(`- shared concepts: ${f.shared.map((s) => s.concept.label).join(', ') || 'none'}`);
    for (const [name, text] of Object.entries(row.texts)) lines.push(`- **${name}**: ${text}`);
    lines.push('');
  });
  writeFileSync(path, lines.join('\n'));
}

/** Users sampled without replacement with a fixed seed; [min(count, n)]. */
export function sampleUsers(n: number, count: number, seed: number): number[] {
  const rng = new Rng(seed);
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order.slice(0, Math.min(count, n));
}
