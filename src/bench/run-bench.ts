/**
 * The measurement protocol for one backend, independent of where it runs (the bench worker in
 * Chromium; CpuOps in Node tests):
 *  - full: alternate between H' (a history H with its first item replaced) and H, starting from a
 *    cache holding H, so no cached key/value is ever reusable: every request is a full forward + top-k;
 *  - incremental: before each timed request rank H minus its last item (untimed), then time H:
 *    one new position on a KV-cached backend, a full forward on one without a cache.
 * An untimed rank of H first gives the top-k for the agreement check between backends.
 */
import type { RankResult } from '../sasrec/history.ts';
import { benchHistory, withFirstItemReplaced } from './histories.ts';
import { measure, type MeasureOptions } from './measure.ts';
import type { OpCounter } from './op-counter.ts';
import type { OpProbeSet } from './op-probes.ts';
import type { BackendId, LatencyRow, RequestKind } from './report.ts';
import { summarize, type LatencySummary } from './stats.ts';

/** A ranking backend under test. */
export interface BenchRanker {
  readonly backend: BackendId;
  /** keeps a KV cache, so extending the last history by one item is an incremental update */
  readonly cached: boolean;
  rank(history: Int32Array, k: number): Promise<RankResult>;
  /** counts the TensorOps calls of each request (our engine only) */
  readonly counter?: OpCounter;
  /** single-op probes (round trip, linear, attention, score, top-k) on this backend */
  probes?(): OpProbeSet;
  dispose(): void | Promise<void>;
}

/** What to measure. */
export interface BenchPlan extends MeasureOptions {
  lengths: readonly number[];
  k: number;
  seed: number;
  itemCount: number;
  maxLen: number;
}

/** A request did not do the work its row claims (e.g. a cache was reused in a "full" row). */
export class BenchProtocolError extends Error {
  override readonly name = 'BenchProtocolError';
}

/** One backend's rows, its top-k for each history length (keyed by length), its probes' latencies. */
export interface BackendBench {
  rows: LatencyRow[];
  tops: Map<number, RankResult>;
  probes: { name: string; latency: LatencySummary }[];
}

/** A rank result and the ops it took (when counted). */
interface CountedResult extends RankResult {
  ops?: number;
}

/** `ranker.rank` with its op count attached. */
async function countedRank(ranker: BenchRanker, history: Int32Array, k: number): Promise<CountedResult> {
  ranker.counter?.reset();
  const result = await ranker.rank(history, k);
  return ranker.counter ? { ...result, ops: ranker.counter.read() } : result;
}

/** The positions a timed request must compute, or throw BenchProtocolError. */
function checkedPositions(
  ranker: BenchRanker,
  kind: RequestKind,
  window: number,
  results: RankResult[],
): number {
  const expected = kind === 'incremental' && ranker.cached ? 1 : window;
  const bad = results.find(
    (r) => r.positionsComputed !== expected || r.incremental !== (expected === 1 && ranker.cached),
  );
  if (bad) {
    throw new BenchProtocolError(
      `${ranker.backend} ${kind} row at window ${window}: a request computed ${bad.positionsComputed} positions ` +
        `(incremental ${bad.incremental}); expected ${expected}. The session's cache decision changed; fix the bench protocol`,
    );
  }
  return expected;
}

/** Measure `ranker` on every history length of `plan`; `progress` gets one line per row. */
export async function benchBackend(
  ranker: BenchRanker,
  plan: BenchPlan,
  progress: (line: string) => void = () => {},
): Promise<BackendBench> {
  const rows: LatencyRow[] = [];
  const tops = new Map<number, RankResult>();
  for (const n of plan.lengths) {
    if (!Number.isInteger(n) || n < 2 || n > plan.maxLen) {
      throw new BenchProtocolError(
        `history length ${n} cannot show an incremental update; use lengths 2..${plan.maxLen} (maxLen)`,
      );
    }
    const history = benchHistory(plan.itemCount, n, plan.seed); // [n]
    const edited = withFirstItemReplaced(history, plan.itemCount); // [n]
    const previous = history.subarray(0, n - 1); // [n - 1]
    tops.set(n, await ranker.rank(history, plan.k)); // untimed; the cache now holds `history`
    const full = await measure(
      { request: (i) => countedRank(ranker, i % 2 === 0 ? edited : history, plan.k) },
      plan,
    );
    const incremental = await measure(
      {
        prepare: ranker.cached && n > 1 ? () => ranker.rank(previous, plan.k) : undefined,
        request: () => countedRank(ranker, history, plan.k),
      },
      plan,
    );
    for (const [kind, m] of [
      ['full', full],
      ['incremental', incremental],
    ] as const) {
      const positionsComputed = checkedPositions(ranker, kind, n, m.results);
      const latency = summarize(m.samples);
      const ops = m.results[m.results.length - 1].ops;
      rows.push({
        backend: ranker.backend,
        historyLength: n,
        kind,
        latency,
        samples: m.samples,
        positionsComputed,
        ...(ops === undefined ? {} : { opsPerRequest: ops }),
      });
      progress(
        `${ranker.backend} n=${n} ${kind}: median ${latency.median.toFixed(2)} ms, p90 ${latency.p90.toFixed(2)} ms`,
      );
    }
  }
  const probes: BackendBench['probes'] = [];
  const set = ranker.probes?.();
  try {
    for (const probe of set?.probes ?? []) {
      const latency = summarize((await measure({ request: () => probe.run() }, plan)).samples);
      probes.push({ name: probe.name, latency });
      progress(`${ranker.backend} ${probe.name}: median ${latency.median.toFixed(2)} ms`);
    }
  } finally {
    set?.dispose();
  }
  return { rows, tops, probes };
}
