import { describe, expect, it } from 'vitest';
import { summarizeRanks } from '../../src/eval/metrics.ts';
import { formatMetricsTable } from '../../src/eval/report.ts';

describe('formatMetricsTable', () => {
  it('renders one Markdown row per result with four decimals', () => {
    // ranks 0 and 2: HR@1 0.5, HR@5.. 1, NDCG@k (1 + 0.5)/2 = 0.75, MRR (1 + 1/3)/2 = 0.6667
    const table = formatMetricsTable([{ label: 'full', metrics: summarizeRanks([0, 2]) }]);
    expect(table.split('\n')).toEqual([
      '| protocol | users | HR@1 | HR@5 | HR@10 | HR@20 | NDCG@5 | NDCG@10 | NDCG@20 | MRR |',
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
      '| full | 2 | 0.5000 | 1.0000 | 1.0000 | 1.0000 | 0.7500 | 0.7500 | 0.7500 | 0.6667 |',
    ]);
  });
});
