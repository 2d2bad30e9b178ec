/**
 * Plain-text rendering of evaluation figures for CLIs and docs/BENCHMARKS.md: one Markdown table
 * row per labelled result, four decimals.
 */
import { HR_CUTOFFS, NDCG_CUTOFFS, type RankingMetrics } from './metrics.ts';

/** One row of the table, e.g. {label: "full", metrics}. */
export interface LabelledMetrics {
  label: string;
  metrics: RankingMetrics;
}

/** Column headers after the label column. */
export const METRIC_COLUMNS = [
  'users',
  ...HR_CUTOFFS.map((k) => `HR@${k}`),
  ...NDCG_CUTOFFS.map((k) => `NDCG@${k}`),
  'MRR',
];

/** A Markdown table with one row per result. */
export function formatMetricsTable(rows: readonly LabelledMetrics[], labelHeader = 'protocol'): string {
  const header = [labelHeader, ...METRIC_COLUMNS];
  const lines = [row(header), row(header.map(() => '---'))];
  for (const { label, metrics } of rows) {
    const values = [
      ...HR_CUTOFFS.map((k) => metrics.hr[k]),
      ...NDCG_CUTOFFS.map((k) => metrics.ndcg[k]),
      metrics.mrr,
    ];
    lines.push(row([label, String(metrics.users), ...values.map((v) => v.toFixed(4))]));
  }
  return lines.join('\n');
}

function row(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`;
}
