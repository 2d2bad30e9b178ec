/**
 * Ratio math for the bench tables. Every ratio is "how many times faster": slower median ÷ faster
 * candidate's median, so > 1 means the candidate (ours, or the incremental path) wins.
 */
import { findRow, type BackendId, type BenchReport, type RequestKind } from './report.ts';

/** `baselineMs / candidateMs`, or null when either is missing or the candidate is below timer resolution (≤ 0). */
export function speedup(baselineMs: number | undefined, candidateMs: number | undefined): number | null {
  if (baselineMs === undefined || candidateMs === undefined) return null;
  if (!(candidateMs > 0) || !(baselineMs >= 0)) return null;
  return baselineMs / candidateMs;
}

/** "2.35×", "0.012×", or "n/a" for a missing ratio; 3 significant digits. */
export function formatRatio(ratio: number | null): string {
  if (ratio === null || !Number.isFinite(ratio)) return 'n/a';
  return `${ratio.toPrecision(3).replace(/e\+?/, 'e')}×`;
}

/** Median of one row, if it was measured. */
function medianOf(report: Pick<BenchReport, 'rows'>, backend: BackendId, n: number, kind: RequestKind) {
  return findRow(report, backend, n, kind)?.latency.median;
}

/** How many times faster `ours` is than `peer` for the same history length and request kind. */
export function oursVsPeer(
  report: Pick<BenchReport, 'rows'>,
  ours: BackendId,
  peer: BackendId,
  n: number,
  kind: RequestKind,
): number | null {
  return speedup(medianOf(report, peer, n, kind), medianOf(report, ours, n, kind));
}

/** How many times faster the incremental update is than a full forward on `backend` at length n. */
export function incrementalVsFull(
  report: Pick<BenchReport, 'rows'>,
  backend: BackendId,
  n: number,
): number | null {
  return speedup(medianOf(report, backend, n, 'full'), medianOf(report, backend, n, 'incremental'));
}
