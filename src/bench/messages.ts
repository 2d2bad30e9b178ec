/**
 * Messages between the bench page (src/bench/main.ts) and its module worker (src/bench/bench.worker.ts).
 */
import type { BenchReport } from './report.ts';

/** What the page asks the worker to measure. */
export interface BenchRequest {
  /** model directory URL on the page's origin, e.g. "models/ml-1m-sasrec/" */
  modelUrl: string;
  warmup: number;
  runs: number;
  /** history lengths, each 2..maxLen */
  lengths: number[];
  k: number;
  seed: number;
}

/** The bench page's query string is malformed. */
export class BenchQueryError extends Error {
  override readonly name = 'BenchQueryError';
}

/** Worker → page. */
export type BenchMessage =
  | { type: 'progress'; line: string }
  | { type: 'done'; report: BenchReport }
  | { type: 'failed'; error: string };

/** Defaults: histories 50 and 200, 3 warm-up and 20 timed runs, top-10. */
export const DEFAULT_REQUEST: Omit<BenchRequest, 'modelUrl'> = {
  warmup: 3,
  runs: 20,
  lengths: [50, 200],
  k: 10,
  seed: 2024,
};

/** A bench request from the page's query string (?model=<id>&runs=&warmup=&lengths=50,200). */
export function requestFromQuery(query: URLSearchParams, defaultModel: string | undefined): BenchRequest {
  const model = query.get('model') ?? defaultModel;
  if (!model) throw new BenchQueryError('no model: open bench.html?model=<id under models/>');
  const whole = (name: 'runs' | 'warmup', fallback: number, min: number): number => {
    const raw = query.get(name);
    const value = raw === null ? fallback : Number(raw);
    if (!Number.isInteger(value) || value < min) {
      throw new BenchQueryError(`?${name}= must be a whole number ≥ ${min}, got "${raw}"`);
    }
    return value;
  };
  const lengthsRaw = query.get('lengths');
  const lengths = lengthsRaw === null ? DEFAULT_REQUEST.lengths : lengthsRaw.split(',').map(Number);
  if (lengths.length === 0 || lengths.some((n) => !Number.isInteger(n) || n < 2)) {
    throw new BenchQueryError(
      `?lengths= must list whole numbers ≥ 2 separated by commas, got "${lengthsRaw}"`,
    );
  }
  return {
    ...DEFAULT_REQUEST,
    modelUrl: `models/${model.replace(/\/$/, '')}/`,
    runs: whole('runs', DEFAULT_REQUEST.runs, 1),
    warmup: whole('warmup', DEFAULT_REQUEST.warmup, 0),
    lengths,
  };
}
