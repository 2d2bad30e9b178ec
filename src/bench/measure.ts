/**
 * The timing loop: warm-up requests (not recorded), then timed requests. Each iteration may run an
 * untimed `prepare` first (e.g. rank the history minus its last item so the timed request is an
 * incremental update). Only `request` is inside the clock readings.
 */

/** How many runs, and the clock (performance.now in the page; a fake one in tests). */
export interface MeasureOptions {
  warmup: number;
  runs: number;
  /** milliseconds */
  now: () => number;
}

/** One iteration: optional untimed set-up, then the timed request. `index` counts warm-ups too. */
export interface MeasuredStep<R> {
  prepare?: (index: number) => Promise<unknown>;
  request: (index: number) => Promise<R>;
}

/** Timed samples (ms, in run order) and the results of the timed requests. */
export interface Measurement<R> {
  samples: number[]; // [runs]
  results: R[]; // [runs]
}

/** warmup or runs is not a whole number ≥ 0 (runs ≥ 1). */
export class InvalidRunCountError extends Error {
  override readonly name = 'InvalidRunCountError';
}

/** Run `warmup` untimed then `runs` timed iterations of `step`, one after another. */
export async function measure<R>(step: MeasuredStep<R>, options: MeasureOptions): Promise<Measurement<R>> {
  const { warmup, runs, now } = options;
  if (!Number.isInteger(warmup) || warmup < 0 || !Number.isInteger(runs) || runs < 1) {
    throw new InvalidRunCountError(
      `need whole numbers warmup ≥ 0 and runs ≥ 1, got warmup ${warmup} and runs ${runs}`,
    );
  }
  const samples: number[] = [];
  const results: R[] = [];
  for (let index = 0; index < warmup + runs; index++) {
    await step.prepare?.(index);
    const started = now();
    const result = await step.request(index);
    const elapsed = now() - started;
    if (index >= warmup) {
      samples.push(elapsed);
      results.push(result);
    }
  }
  return { samples, results };
}
