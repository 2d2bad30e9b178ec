/**
 * Backend calibration: race candidate TensorOps backends (e.g. WebGPU, FastCpuOps) on the loaded
 * SASRec model with a few warm requests and pick the fastest, keeping the measured figures so the
 * page can say which backend it chose and why.
 *
 * Per candidate: one warm-up round (pipeline compilation, JIT), then `runs` rounds of a full request
 * (a history the cache has never seen → whole-window recompute + scoring + top-k) followed by an
 * incremental one (the same history plus one item → one new position). The figure of merit is
 * median full + median incremental: what loading a history and then adding an item costs.
 * Every candidate's top-k scores are compared with the first candidate's (the reference, normally
 * the CPU): a backend that computes something else is rejected, however fast.
 */
import type { Tensor, TensorOps } from '../gpu/ops';
import { SasrecSession } from './session';
import type { SasrecWeights } from './weights';

/** No candidate survived calibration (each failed or disagreed with the reference). */
export class CalibrationError extends Error {
  override name = 'CalibrationError';
}

/** A backend to try; `name` is what the page shows (e.g. "webgpu", "cpu"). */
export interface CalibrationCandidate {
  name: string;
  ops: TensorOps<Tensor>;
}

/** Measured figures of one candidate (medians in milliseconds). */
export interface CandidateTiming {
  name: string;
  backend: TensorOps<Tensor>['backend'];
  /** median of the full requests; NaN when the candidate failed */
  fullMs: number;
  /** median of the one-item incremental requests; NaN when the candidate failed */
  incrementalMs: number;
  /** fullMs + incrementalMs; the smallest wins */
  costMs: number;
  /** why the candidate was not eligible (threw, or its results differ from the reference) */
  rejected?: string;
}

/** Result of `calibrate`. */
export interface Calibration {
  /** the chosen candidate */
  chosen: CalibrationCandidate;
  /** every candidate's figures, in the order given */
  timings: CandidateTiming[];
  /** one sentence for the status line, e.g. "webgpu: full 13.6 ms, +1 item 2.1 ms; … → cpu (fastest)" */
  summary: string;
}

/** Calibration knobs (defaults suit the page). */
export interface CalibrationOptions {
  /** measured rounds per candidate after one warm-up round (default 5) */
  runs?: number;
  /** items in the synthetic history (default min(maxLen − 1, 50)) */
  historyLength?: number;
  /** results per request (default 20) */
  k?: number;
  /** millisecond clock (default performance.now) */
  now?: () => number;
  /** relative tolerance of the score comparison with the reference (default 1e-3) */
  tolerance?: number;
}

/** Median of a non-empty list. */
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Deterministic synthetic history of round `round`: distinct per round, so each one forces a full recompute. */
export function calibrationHistory(round: number, length: number, itemCount: number): Int32Array {
  return Int32Array.from({ length }, (_, i) => 1 + ((i * 7919 + round * 104729) % itemCount)); // [length]
}

/** Top-k scores of every measured request of one candidate, in request order. */
type ScoreTrace = Float32Array[];

/** Times one candidate; returns its medians and the scores it produced. */
async function measure(
  candidate: CalibrationCandidate,
  weights: SasrecWeights,
  o: Required<CalibrationOptions>,
): Promise<{ fullMs: number; incrementalMs: number; trace: ScoreTrace }> {
  const { itemCount } = weights.config;
  const session = new SasrecSession(candidate.ops, weights);
  const full: number[] = [];
  const incremental: number[] = [];
  const trace: ScoreTrace = [];
  try {
    for (let round = 0; round <= o.runs; round++) {
      const history = calibrationHistory(round, o.historyLength + 1, itemCount); // [historyLength + 1]
      let started = o.now();
      const whole = await session.rank(history.subarray(0, o.historyLength), o.k);
      const fullMs = o.now() - started;
      started = o.now();
      const added = await session.rank(history, o.k);
      const incrementalMs = o.now() - started;
      if (round === 0) continue; // warm-up: compilation and JIT
      full.push(fullMs);
      incremental.push(incrementalMs);
      trace.push(whole.scores, added.scores);
    }
  } finally {
    session.dispose();
  }
  return { fullMs: median(full), incrementalMs: median(incremental), trace };
}

/** Why `trace` differs from the reference `want`, or null when it agrees within `tolerance`. */
function disagreement(
  trace: ScoreTrace,
  want: ScoreTrace,
  tolerance: number,
  reference: string,
): string | null {
  for (let r = 0; r < want.length; r++) {
    const [got, expected] = [trace[r], want[r]];
    if (got.length !== expected.length) {
      return `request ${r} returned ${got.length} results, ${reference} returned ${expected.length}`;
    }
    for (let i = 0; i < expected.length; i++) {
      if (!(Math.abs(got[i] - expected[i]) <= tolerance * Math.max(1, Math.abs(expected[i])))) {
        return `request ${r}, rank ${i}: score ${got[i]} but ${reference} computed ${expected[i]}`;
      }
    }
  }
  return null;
}

/** "name: full X ms, +1 item Y ms" or "name: rejected (…)". */
function describe(t: CandidateTiming): string {
  if (t.rejected) return `${t.name}: not used (${t.rejected})`;
  return `${t.name}: full ${t.fullMs.toFixed(1)} ms, +1 item ${t.incrementalMs.toFixed(2)} ms`;
}

/**
 * Races `candidates` on `weights` and returns the fastest eligible one with every candidate's
 * figures. Candidates run one after another (never concurrently). The sessions it creates are
 * disposed; the caller builds the real session on `chosen.ops`.
 * @throws CalibrationError when no candidate is eligible
 */
export async function calibrate(
  candidates: readonly CalibrationCandidate[],
  weights: SasrecWeights,
  options: CalibrationOptions = {},
): Promise<Calibration> {
  const o: Required<CalibrationOptions> = {
    runs: Math.max(1, options.runs ?? 5),
    historyLength: options.historyLength ?? Math.min(weights.config.maxLen - 1, 50),
    k: options.k ?? 20,
    now: options.now ?? (() => performance.now()),
    tolerance: options.tolerance ?? 1e-3,
  };
  if (candidates.length === 0) throw new CalibrationError('calibrate needs at least one backend to try');
  const timings: CandidateTiming[] = [];
  let reference: { name: string; trace: ScoreTrace } | null = null;
  for (const candidate of candidates) {
    const base = { name: candidate.name, backend: candidate.ops.backend };
    try {
      const { fullMs, incrementalMs, trace } = await measure(candidate, weights, o);
      const differs = reference ? disagreement(trace, reference.trace, o.tolerance, reference.name) : null;
      reference ??= { name: candidate.name, trace };
      const costMs = fullMs + incrementalMs;
      timings.push({ ...base, fullMs, incrementalMs, costMs, ...(differs ? { rejected: differs } : {}) });
    } catch (error) {
      const rejected = `failed: ${error instanceof Error ? error.message : String(error)}`;
      timings.push({ ...base, fullMs: NaN, incrementalMs: NaN, costMs: NaN, rejected });
    }
  }
  const eligible = timings.filter((t) => !t.rejected);
  if (eligible.length === 0) {
    throw new CalibrationError(`no backend could run the model: ${timings.map(describe).join('; ')}`);
  }
  const best = eligible.reduce((a, b) => (b.costMs < a.costMs ? b : a));
  const chosen = candidates[timings.indexOf(best)];
  const why = eligible.length > 1 ? 'fastest' : 'the only one that worked';
  return { chosen, timings, summary: `${timings.map(describe).join('; ')} → ${best.name} (${why})` };
}
