/**
 * Paired bootstrap of the difference between two systems on the same users: resample users with
 * replacement, recompute mean(a − b) each time, and report the percentile confidence interval.
 */
import { EvalInputError } from './errors.ts';
import { Rng } from './random.ts';

/** Options of `pairedBootstrap`. */
export interface BootstrapOptions {
  /** resamples (default 1000) */
  samples?: number;
  /** seed (default 0) */
  seed?: number;
  /** confidence level (default 0.95) */
  confidence?: number;
}

/** Result: mean difference a − b on the real data and its confidence interval. */
export interface BootstrapResult {
  meanDiff: number;
  low: number;
  high: number;
  confidence: number;
  samples: number;
  /** share of resamples whose difference has the opposite sign to meanDiff (or is 0) */
  flipRate: number;
}

/**
 * @param a per-user metric of system A; [users]
 * @param b per-user metric of system B, same users in the same order; [users]
 */
export function pairedBootstrap(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  options: BootstrapOptions = {},
): BootstrapResult {
  const n = a.length;
  if (n === 0 || b.length !== n) {
    throw new EvalInputError(
      `Paired bootstrap needs two equally long non-empty per-user arrays, got ${a.length} and ${b.length}.`,
    );
  }
  const samples = options.samples ?? 1000;
  const confidence = options.confidence ?? 0.95;
  if (!(confidence > 0 && confidence < 1) || !Number.isInteger(samples) || samples < 1) {
    throw new EvalInputError(
      `Bootstrap needs samples ≥ 1 and 0 < confidence < 1, got ${samples} and ${confidence}.`,
    );
  }
  const diff = Float64Array.from({ length: n }, (_, i) => a[i] - b[i]); // [users]
  const meanDiff = diff.reduce((s, x) => s + x, 0) / n;
  const rng = new Rng(options.seed ?? 0);
  const means = new Float64Array(samples); // [samples]
  for (let s = 0; s < samples; s++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += diff[rng.nextInt(n)];
    means[s] = sum / n;
  }
  means.sort();
  const tail = (1 - confidence) / 2;
  const flips = means.filter((m) => (meanDiff > 0 ? m <= 0 : meanDiff < 0 ? m >= 0 : true)).length;
  return {
    meanDiff,
    low: quantile(means, tail),
    high: quantile(means, 1 - tail),
    confidence,
    samples,
    flipRate: flips / samples,
  };
}

/** Linear-interpolated quantile q of an ascending array. */
function quantile(sorted: Float64Array, q: number): number {
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}
