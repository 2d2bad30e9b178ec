/** Paired comparison of two evaluations: hand-computed means and differences. */
import { describe, expect, it } from 'vitest';
import { compareEvaluations, formatComparison } from '../../src/eval/compare.ts';
import { EvalInputError } from '../../src/eval/errors.ts';
import { summarizeRanks } from '../../src/eval/metrics.ts';
import type { EvaluationResult } from '../../src/eval/protocols.ts';

/** An evaluation whose full and sampled ranks are the given lists. */
function evaluation(full: number[], sampled: number[]): EvaluationResult {
  const make = (protocol: 'full' | 'sampled', ranks: number[]) => ({
    protocol,
    ranks: Int32Array.from(ranks),
    metrics: summarizeRanks(ranks),
  });
  return { full: make('full', full), sampled: make('sampled', sampled) };
}

describe('compareEvaluations', () => {
  it('gives both means and the mean per-user difference', () => {
    // A: ranks 0, 1, 20, 3 → NDCG@10 = (1 + 1/log2 3 + 0 + 1/log2 5) / 4; HR@10 = 3/4
    // B: ranks 0, 15, 20, 30 → NDCG@10 = 1/4; HR@10 = 1/4
    const a = evaluation([0, 1, 20, 3], [0, 0, 0, 0]);
    const b = evaluation([0, 15, 20, 30], [0, 0, 0, 0]);
    const rows = compareEvaluations(a, b, undefined, { samples: 200, seed: 1 });
    const ndcgA = (1 + 1 / Math.log2(3) + 1 / Math.log2(5)) / 4;
    expect(rows[0]).toMatchObject({ protocol: 'full', metric: 'NDCG@10', b: 0.25 });
    expect(rows[0].a).toBeCloseTo(ndcgA, 12);
    expect(rows[0].diff.meanDiff).toBeCloseTo(ndcgA - 0.25, 12);
    expect(rows[1]).toMatchObject({ protocol: 'full', metric: 'HR@10', a: 0.75, b: 0.25 });
    expect(rows[1].diff.meanDiff).toBeCloseTo(0.5, 12);
    expect(rows[1].diff.low).toBeGreaterThanOrEqual(0);
    expect(rows[2]).toMatchObject({ protocol: 'sampled', metric: 'NDCG@10', a: 1, b: 1 });
    expect(rows[2].diff).toMatchObject({ meanDiff: 0, low: 0, high: 0 });
    expect(formatComparison(rows, 'A', 'B').split('\n')[2]).toBe(
      `| full | NDCG@10 | ${ndcgA.toFixed(4)} | 0.2500 | +${(ndcgA - 0.25).toFixed(4)} | [${rows[0].diff.low.toFixed(4)}, ${rows[0].diff.high.toFixed(4)}] |`,
    );
  });

  it('refuses evaluations of different cases', () => {
    expect(() => compareEvaluations(evaluation([0], [0]), evaluation([0, 1], [0, 1]))).toThrow(
      EvalInputError,
    );
  });
});
