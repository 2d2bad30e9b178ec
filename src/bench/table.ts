/**
 * Markdown for the bench result: latency table (median / p90), ratio tables, top-10 agreement,
 * and the header naming the model, the adapter and the command that reproduces the figures.
 */
import { ROUND_TRIP } from './op-probes.ts';
import { formatRatio, incrementalVsFull, oursVsPeer } from './ratios.ts';
import {
  BACKEND_LABELS,
  BACKEND_SHORT,
  BACKENDS,
  REQUEST_KINDS,
  findRow,
  type AdapterDescription,
  type BackendId,
  type BenchReport,
  type RequestKind,
} from './report.ts';

/** Where and how the report was produced (added by the CLI). */
export interface RunInfo {
  /** the exact command line that reproduces the figures */
  command: string;
  /** ISO date of the run */
  date: string;
  /** how to make the model first, when it is not in the repository (e.g. random weights) */
  setup?: string;
  /** host 1-minute load averages just before and just after the run (other jobs distort timings) */
  load?: { before: number; after: number; cores: number };
}

const KIND_LABELS: Record<RequestKind, string> = {
  full: 'full forward + top-10',
  incremental: 'incremental (n−1 cached)',
};

/** Milliseconds with 3 significant digits at most 2 decimals: 0.12, 2.35, 35.1, 351. */
export function formatMs(ms: number): string {
  if (ms >= 100) return ms.toFixed(0);
  if (ms >= 10) return ms.toFixed(1);
  return ms.toFixed(2);
}

/** One Markdown table: header cells, then rows of cells. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** "Device X (vendor, architecture)", "google swiftshader" when only those are known, or "no WebGPU adapter". */
export function adapterLabel(adapter: AdapterDescription | null): string {
  if (!adapter) return 'no WebGPU adapter';
  const parts = [adapter.vendor, adapter.architecture].filter((s) => s.length > 0);
  const name = adapter.description || adapter.device;
  if (!name) return parts.join(' ') || 'unnamed adapter';
  return parts.length > 0 ? `${name} (${parts.join(', ')})` : name;
}

/** History lengths present in the report, ascending. */
function lengthsOf(report: BenchReport): number[] {
  return [...new Set(report.rows.map((r) => r.historyLength))].sort((a, b) => a - b);
}

/** Backends with at least one row, in BACKENDS order. */
function measuredBackends(report: BenchReport): BackendId[] {
  return BACKENDS.filter((b) => report.rows.some((r) => r.backend === b));
}

/** Latency table: one row per (history length, kind), "median / p90" ms per backend. */
export function latencyTable(report: BenchReport): string {
  const backends = measuredBackends(report);
  const rows = lengthsOf(report).flatMap((n) =>
    REQUEST_KINDS.map((kind) => [
      String(n),
      KIND_LABELS[kind],
      ...backends.map((b) => {
        const row = findRow(report, b, n, kind);
        return row ? `${formatMs(row.latency.median)} / ${formatMs(row.latency.p90)}` : 'n/a';
      }),
    ]),
  );
  return markdownTable(['history', 'request', ...backends.map((b) => BACKEND_LABELS[b])], rows);
}

const OURS: readonly BackendId[] = ['wgsl', 'cpu-fast', 'cpu'];
const PEERS: readonly BackendId[] = ['ort-wasm', 'ort-webgpu'];

/** Ours vs onnxruntime-web, per (history length, kind): peer median ÷ ours. */
export function peerRatioTable(report: BenchReport): string {
  const pairs = OURS.flatMap((ours) => PEERS.map((peer) => [ours, peer] as const));
  const rows = lengthsOf(report).flatMap((n) =>
    REQUEST_KINDS.map((kind) => [
      String(n),
      KIND_LABELS[kind],
      ...pairs.map(([ours, peer]) => formatRatio(oursVsPeer(report, ours, peer, n, kind))),
    ]),
  );
  const header = pairs.map(([ours, peer]) => `${BACKEND_SHORT[ours]} vs ${BACKEND_SHORT[peer]}`);
  return markdownTable(['history', 'request', ...header], rows);
}

/** Incremental vs full per backend: full median ÷ incremental median. */
export function incrementalRatioTable(report: BenchReport): string {
  const backends = measuredBackends(report);
  const rows = lengthsOf(report).map((n) => [
    String(n),
    ...backends.map((b) => formatRatio(incrementalVsFull(report, b, n))),
  ]);
  return markdownTable(['history', ...backends.map((b) => BACKEND_LABELS[b])], rows);
}

/**
 * Where one backend's time goes: TensorOps calls per request, the round-trip floor (write one
 * float, submit, read back) and the rest of the median spread over the ops. Empty without a probe.
 */
export function overheadTable(report: BenchReport, backend: BackendId): string {
  const floor = report.probes.find((p) => p.backend === backend && p.name === ROUND_TRIP)?.latency.median;
  const rows = report.rows.filter((r) => r.backend === backend && r.opsPerRequest !== undefined);
  if (floor === undefined || rows.length === 0) return '';
  const cells = rows.map((r) => {
    const ops = r.opsPerRequest as number;
    const perOp = ops > 0 ? formatMs(Math.max(0, r.latency.median - floor) / ops) : 'n/a';
    return [
      String(r.historyLength),
      KIND_LABELS[r.kind],
      String(ops),
      formatMs(r.latency.median),
      formatMs(floor),
      perOp,
    ];
  });
  return markdownTable(
    ['history', 'request', 'ops/request', 'median ms', 'round-trip floor ms', '(median − floor) / op ms'],
    cells,
  );
}

/** Single-op probes: one row per probe, median ms per backend that ran them. */
export function probeTable(report: BenchReport): string {
  const backends = BACKENDS.filter((b) => report.probes.some((p) => p.backend === b));
  const names = [...new Set(report.probes.map((p) => p.name))];
  const rows = names.map((name) => [
    name,
    ...backends.map((b) => {
      const probe = report.probes.find((p) => p.backend === b && p.name === name);
      return probe ? formatMs(probe.latency.median) : 'n/a';
    }),
  ]);
  return rows.length === 0
    ? ''
    : markdownTable(['op (+ read-back)', ...backends.map((b) => BACKEND_SHORT[b])], rows);
}

/** One line per history length: agreement or the mismatching ids. */
export function agreementLines(report: BenchReport): string[] {
  return report.agreement.map((a) => {
    const head = `history ${a.historyLength} (reference ${BACKEND_LABELS[a.reference]}: ${a.referenceIds.join(', ')})`;
    if (a.mismatches.length === 0) {
      return `- ${head}: every backend returns the same top-10; max score difference ${a.maxScoreDiff.toExponential(1)}`;
    }
    const bad = a.mismatches.map((m) => `${BACKEND_LABELS[m.backend]} returned ${m.ids.join(', ')}`);
    return `- ${head}: **MISMATCH**: ${bad.join('; ')}`;
  });
}

/** The whole Markdown section for docs/BENCHMARKS.md and the console. */
export function benchMarkdown(report: BenchReport, run: RunInfo): string {
  const m = report.model;
  const weights = m.randomWeights
    ? 'random weights (same shape as the trained model; fine for latency, not for accuracy)'
    : `trained on ${m.dataset}`;
  const notes = report.backends.flatMap((b) =>
    b.ok
      ? b.note
        ? [`- ${BACKEND_LABELS[b.backend]}: ${b.note}`]
        : []
      : [`- ${BACKEND_LABELS[b.backend]} did not run: ${b.error ?? 'unknown error'}`],
  );
  const overhead = overheadTable(report, 'wgsl');
  const probes = probeTable(report);
  return [
    `Model \`${m.id}\`: ${m.itemCount} items, d ${m.hiddenUnits}, ${m.blocks} blocks, ${m.heads} head(s), ` +
      `maxLen ${m.maxLen}; ${weights}.`,
    `Adapter: **${adapterLabel(report.adapter)}**; ${report.cores} logical cores; ${report.userAgent}.`,
    `Measured ${run.date} with \`${run.command}\`${run.setup ? ` (model made first with \`${run.setup}\`)` : ''}: ` +
      `inside a module Web Worker, per request (top-${report.k}, history items excluded), ` +
      `${report.warmup} warm-up + ${report.runs} timed runs per row; ` +
      'median / p90 in ms (performance.now, 0.1 ms resolution without cross-origin isolation).' +
      (run.load
        ? ` Host 1-minute load average ${run.load.before.toFixed(1)} before and ${run.load.after.toFixed(1)} after ` +
          `the run on ${run.load.cores} cores: other jobs shared the CPU, so absolute times are noisy; compare ratios.`
        : ''),
    '',
    latencyTable(report),
    '',
    'Speed-up of ours over onnxruntime-web (peer median ÷ ours; > 1 means ours is faster):',
    '',
    peerRatioTable(report),
    '',
    'Incremental update vs full forward on each backend (full median ÷ incremental median):',
    '',
    incrementalRatioTable(report),
    '',
    ...(overhead
      ? [
          `Where ${BACKEND_LABELS.wgsl} time goes (ops ≈ kernel dispatches + copies + read-backs):`,
          '',
          overhead,
          '',
        ]
      : []),
    ...(probes ? ['Single ops, each followed by a read-back (median ms):', '', probes, ''] : []),
    'Top-10 agreement:',
    '',
    ...agreementLines(report),
    ...(notes.length > 0 ? ['', 'Notes:', '', ...notes] : []),
  ].join('\n');
}
