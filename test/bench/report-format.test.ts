import { describe, expect, it } from 'vitest';
import { formatRatio, incrementalVsFull, oursVsPeer, speedup } from '../../src/bench/ratios';
import {
  BenchReportError,
  parseBenchReport,
  type BenchReport,
  type LatencyRow,
} from '../../src/bench/report';
import { ROUND_TRIP } from '../../src/bench/op-probes';
import {
  adapterLabel,
  benchMarkdown,
  formatMs,
  probeTable,
  latencyTable,
  markdownTable,
  overheadTable,
} from '../../src/bench/table';

/** A row whose median and p90 are given (other summary fields follow from them). */
function row(
  backend: LatencyRow['backend'],
  n: number,
  kind: LatencyRow['kind'],
  med: number,
  p90 = med,
): LatencyRow {
  return {
    backend,
    historyLength: n,
    kind,
    latency: { runs: 2, median: med, p90, min: med, max: p90 },
    samples: [med, p90],
    positionsComputed: kind === 'incremental' && !backend.startsWith('ort') ? 1 : n,
  };
}

const report: BenchReport = {
  model: {
    id: 'm',
    dataset: 'random',
    randomWeights: true,
    itemCount: 3416,
    hiddenUnits: 50,
    blocks: 2,
    heads: 1,
    maxLen: 200,
  },
  adapter: { vendor: 'google', architecture: 'swiftshader', device: '', description: '' },
  userAgent: 'HeadlessChrome/156',
  cores: 2,
  warmup: 1,
  runs: 2,
  k: 10,
  rows: [
    row('wgsl', 50, 'full', 8, 9),
    { ...row('wgsl', 50, 'incremental', 2), opsPerRequest: 4 },
    row('ort-wasm', 50, 'full', 2),
    row('ort-wasm', 50, 'incremental', 2),
    row('ort-webgpu', 50, 'full', 400),
    row('cpu', 50, 'full', 0),
  ],
  backends: [
    { backend: 'wgsl', ok: true },
    { backend: 'ort-webgpu', ok: true, note: 'no KV cache' },
    { backend: 'cpu-fast', ok: false, error: 'Boom: broke' },
  ],
  agreement: [
    {
      historyLength: 50,
      reference: 'cpu',
      referenceIds: [3, 1],
      mismatches: [{ backend: 'wgsl', ids: [1, 3] }],
      maxScoreDiff: 0,
    },
  ],
  probes: [
    { backend: 'wgsl', name: ROUND_TRIP, latency: { runs: 1, median: 1, p90: 1, min: 1, max: 1 } },
    { backend: 'wgsl', name: 'topK', latency: { runs: 1, median: 3, p90: 3, min: 3, max: 3 } },
    { backend: 'cpu', name: 'topK', latency: { runs: 1, median: 0.5, p90: 0.5, min: 0.5, max: 0.5 } },
  ],
};

describe('ratio math', () => {
  it('speedup is baseline ÷ candidate; null when missing or the candidate is below timer resolution', () => {
    expect(speedup(8, 2)).toBe(4);
    expect(speedup(1, 4)).toBe(0.25);
    expect(speedup(undefined, 2)).toBeNull();
    expect(speedup(2, 0)).toBeNull();
  });

  it('ours vs peer and incremental vs full read the medians of the right rows', () => {
    expect(oursVsPeer(report, 'wgsl', 'ort-wasm', 50, 'full')).toBe(0.25); // 2 / 8
    expect(oursVsPeer(report, 'wgsl', 'ort-webgpu', 50, 'full')).toBe(50); // 400 / 8
    expect(oursVsPeer(report, 'wgsl', 'ort-webgpu', 50, 'incremental')).toBeNull(); // no peer row
    expect(incrementalVsFull(report, 'wgsl', 50)).toBe(4); // 8 / 2
    expect(incrementalVsFull(report, 'ort-wasm', 50)).toBe(1);
  });

  it('formats ratios to 3 significant digits', () => {
    expect(formatRatio(4)).toBe('4.00×');
    expect(formatRatio(0.0123456)).toBe('0.0123×');
    expect(formatRatio(1234)).toBe('1.23e3×');
    expect(formatRatio(null)).toBe('n/a');
  });
});

describe('tables', () => {
  it('formats milliseconds by magnitude', () => {
    expect([formatMs(0.123), formatMs(2.345), formatMs(35.12), formatMs(351.4)]).toEqual([
      '0.12',
      '2.35',
      '35.1',
      '351',
    ]);
  });

  it('builds a Markdown table with a separator row', () => {
    expect(markdownTable(['a', 'b'], [['1', '2']])).toBe('| a | b |\n| --- | --- |\n| 1 | 2 |');
  });

  it('latency table: a line per (length, kind), "median / p90" per measured backend, n/a for gaps', () => {
    const lines = latencyTable(report).split('\n');
    expect(lines[0]).toBe(
      '| history | request | WGSL (ours, GpuOps) | CPU reference (ours, CpuOps) | ORT wasm (1 thread) | ORT WebGPU EP |',
    );
    expect(lines[2]).toBe(
      '| 50 | full forward + top-10 | 8.00 / 9.00 | 0.00 / 0.00 | 2.00 / 2.00 | 400 / 400 |',
    );
    expect(lines[3]).toBe('| 50 | incremental (n−1 cached) | 2.00 / 2.00 | n/a | 2.00 / 2.00 | n/a |');
  });

  it('overhead table: ops per request and (median − round-trip floor) / ops', () => {
    expect(overheadTable(report, 'wgsl').split('\n')[2]).toBe(
      '| 50 | incremental (n−1 cached) | 4 | 2.00 | 1.00 | 0.25 |',
    );
    expect(overheadTable(report, 'cpu')).toBe(''); // no probe
  });

  it('probe table: a row per op, a column per backend that ran probes', () => {
    expect(probeTable(report).split('\n')).toEqual([
      '| op (+ read-back) | WGSL | CPU ref |',
      '| --- | --- | --- |',
      `| ${ROUND_TRIP} | 1.00 | n/a |`,
      '| topK | 3.00 | 0.50 |',
    ]);
  });

  it('names the adapter from whatever fields it has', () => {
    expect(adapterLabel(report.adapter)).toBe('google swiftshader');
    expect(adapterLabel({ vendor: 'v', architecture: 'a', device: '', description: 'Dev X' })).toBe(
      'Dev X (v, a)',
    );
    expect(adapterLabel(null)).toBe('no WebGPU adapter');
  });

  it('the section names adapter, command, weights, mismatches and failed backends', () => {
    const md = benchMarkdown(report, {
      command: 'npm run bench:sasrec -- --runs 2',
      date: '2026-01-02',
      setup: 'make it',
      load: { before: 5.26, after: 1, cores: 2 },
    });
    expect(md).toContain('load average 5.3 before and 1.0 after the run on 2 cores');
    expect(md).toContain('Adapter: **google swiftshader**');
    expect(md).toContain('`npm run bench:sasrec -- --runs 2`');
    expect(md).toContain('make it');
    expect(md).toContain('random weights');
    expect(md).toContain('**MISMATCH**: WGSL (ours, GpuOps) returned 1, 3');
    expect(md).toContain('CPU fast (ours, FastCpuOps) did not run: Boom: broke');
    expect(md).toContain('| 50 | full forward + top-10 | 0.250× | 50.0× |');
  });
});

describe('parseBenchReport', () => {
  it('accepts a valid report and names the first bad field of an invalid one', () => {
    expect(parseBenchReport(JSON.parse(JSON.stringify(report)))).toEqual(report);
    expect(() => parseBenchReport({ ...report, rows: [{ ...report.rows[0], backend: 'gpu' }] })).toThrow(
      BenchReportError,
    );
    expect(() => parseBenchReport({ ...report, runs: 0 })).toThrow(/runs/);
  });
});
