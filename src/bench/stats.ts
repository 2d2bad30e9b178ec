/**
 * Summary statistics of latency samples: median and p90. Pure functions, no clock.
 *
 * Median: the middle sample of the sorted list (mean of the two middle ones for an even count).
 * p90: nearest-rank percentile, the smallest sample with at least 90 % of samples ≤ it, i.e.
 * sorted[ceil(0.9 · n) − 1]; always an observed value.
 */

/** Samples were empty or not finite non-negative milliseconds; measure at least one run. */
export class InvalidSamplesError extends Error {
  override readonly name = 'InvalidSamplesError';
}

/** Median, p90 and extremes of one row's timed runs (milliseconds). */
export interface LatencySummary {
  runs: number;
  median: number;
  p90: number;
  min: number;
  max: number;
}

/** Sorted copy of `samples` after checking them. */
function sortedSamples(samples: readonly number[], what: string): number[] {
  if (samples.length === 0) {
    throw new InvalidSamplesError(`${what} needs at least one sample; run the measurement with runs ≥ 1`);
  }
  const bad = samples.findIndex((s) => !Number.isFinite(s) || s < 0);
  if (bad >= 0) {
    throw new InvalidSamplesError(
      `${what}: sample ${bad} is ${samples[bad]}; expected finite milliseconds ≥ 0 from performance.now() differences`,
    );
  }
  return [...samples].sort((a, b) => a - b); // [n]
}

/** Median of `samples` (mean of the two middle values for an even count). */
export function median(samples: readonly number[]): number {
  const s = sortedSamples(samples, 'median');
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Nearest-rank percentile `p` (0 < p ≤ 100) of `samples`. */
export function percentile(samples: readonly number[], p: number): number {
  if (!(p > 0 && p <= 100)) {
    throw new InvalidSamplesError(`percentile p must be in (0, 100], got ${p}`);
  }
  const s = sortedSamples(samples, `p${p}`);
  return s[Math.ceil((p / 100) * s.length) - 1];
}

/** Runs, median, p90, min and max of `samples` (milliseconds). */
export function summarize(samples: readonly number[]): LatencySummary {
  const s = sortedSamples(samples, 'summarize');
  return { runs: s.length, median: median(s), p90: percentile(s, 90), min: s[0], max: s[s.length - 1] };
}
