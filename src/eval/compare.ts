/**
 * Paired comparison of two systems evaluated on the same cases (e.g. SASRec with positions counted
 * from the start vs the paper's right-aligned positions): per protocol and metric, both means and
 * the paired-bootstrap interval of the per-user difference A − B.
 */
import { pairedBootstrap, type BootstrapOptions, type BootstrapResult } from './bootstrap.ts';
import { EvalInputError } from './errors.ts';
import { perUser, type MetricSpec } from './metrics.ts';
import type { EvaluationResult, ProtocolName } from './protocols.ts';

/** Metrics compared by default. */
export const COMPARED_METRICS: readonly MetricSpec[] = [
  { metric: 'ndcg', k: 10 },
  { metric: 'hr', k: 10 },
];

/** One protocol × metric of a comparison. */
export interface ComparisonRow {
  protocol: ProtocolName;
  /** e.g. "NDCG@10" */
  metric: string;
  /** mean of system A */
  a: number;
  /** mean of system B */
  b: number;
  /** A − B with its bootstrap interval */
  diff: BootstrapResult;
}

/** "NDCG@10", "HR@10" or "MRR". */
const metricLabel = (spec: MetricSpec): string =>
  spec.metric === 'mrr' ? 'MRR' : `${spec.metric === 'hr' ? 'HR' : 'NDCG'}@${spec.k}`;

const mean = (values: Float64Array): number => values.reduce((s, v) => s + v, 0) / values.length;

/**
 * Compare two evaluations of the same cases (same users in the same order).
 * @throws EvalInputError when the case counts differ
 */
export function compareEvaluations(
  a: EvaluationResult,
  b: EvaluationResult,
  metrics: readonly MetricSpec[] = COMPARED_METRICS,
  options: BootstrapOptions = {},
): ComparisonRow[] {
  if (a.full.ranks.length !== b.full.ranks.length) {
    throw new EvalInputError(
      `Comparing needs the same cases: ${a.full.ranks.length} vs ${b.full.ranks.length} users. Evaluate both on the same data and split.`,
    );
  }
  return (['full', 'sampled'] as const).flatMap((protocol) =>
    metrics.map((spec) => {
      const pa = perUser(a[protocol].ranks, spec); // [users]
      const pb = perUser(b[protocol].ranks, spec); // [users]
      return {
        protocol,
        metric: metricLabel(spec),
        a: mean(pa),
        b: mean(pb),
        diff: pairedBootstrap(pa, pb, options),
      };
    }),
  );
}

/** Markdown table of a comparison, A and B named. */
export function formatComparison(rows: readonly ComparisonRow[], nameA: string, nameB: string): string {
  const f = (x: number) => x.toFixed(4);
  const lines = [
    `| protocol | metric | ${nameA} | ${nameB} | A − B | 95% interval |`,
    '| --- | --- | --- | --- | --- | --- |',
    ...rows.map(
      (r) =>
        `| ${r.protocol} | ${r.metric} | ${f(r.a)} | ${f(r.b)} | ${r.diff.meanDiff >= 0 ? '+' : ''}${f(r.diff.meanDiff)} | [${f(r.diff.low)}, ${f(r.diff.high)}] |`,
    ),
  ];
  return lines.join('\n');
}
