/**
 * RecommenderState with the language model on: SASRec's list is shown first, then replaced by the
 * re-ranker's order; a newer history drops a pending re-rank; a failed re-rank keeps the SASRec list.
 */
import { describe, expect, it } from 'vitest';
import type { SasrecRequester, ListReranker } from '../../src/state/recommender.svelte.ts';
import { RecommenderState } from '../../src/state/recommender.svelte.ts';

const KEYS = Array.from({ length: 60 }, (_, i) => `k${i + 1}`); // [N] item id i + 1 ↔ key k<i+1>

/** A SASRec worker whose ranking is ids N, N−1, … (history left out) with score = id / 100. */
function fakeSasrec(ranks: number[]): SasrecRequester {
  const request = async (kind: string, params: unknown): Promise<unknown> => {
    if (kind === 'sasrec.load')
      return {
        modelId: 'm',
        itemCount: KEYS.length,
        maxLen: 50,
        backend: 'cpu',
        itemKeys: KEYS,
        inWorker: true,
        ms: 1,
      };
    if (kind === 'sasrec.rank') {
      const { history, k } = params as { history: number[]; k: number };
      ranks.push(k);
      const ids = KEYS.map((_, i) => KEYS.length - i)
        .filter((id) => !history.includes(id))
        .slice(0, k);
      return { ids, scores: ids.map((id) => id / 100), backend: 'cpu', ms: 2, incremental: false };
    }
    if (kind === 'sasrec.attribution') return { because: [], ms: 1 };
    throw new Error(`unexpected ${kind}`);
  };
  return { request } as unknown as SasrecRequester;
}

/** A re-ranker that reverses the candidates once `release()` is called (or fails with `error`). */
function heldReranker(): ListReranker & { release(error?: Error): void; calls: number[][] } {
  const waiting: ((error?: Error) => void)[] = [];
  const calls: number[][] = [];
  return {
    candidates: 50,
    calls,
    rerank: (_history, ids) => {
      calls.push(ids);
      return new Promise((resolve, reject) =>
        waiting.push((error) => (error ? reject(error) : resolve({ ids: [...ids].reverse(), ms: 3 }))),
      );
    },
    release: (error) => waiting.shift()?.(error),
  };
}

async function loaded(ranks: number[]): Promise<RecommenderState> {
  const state = new RecommenderState(fakeSasrec(ranks), 5);
  await state.load('models/m', 'cpu');
  return state;
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('RecommenderState with a re-ranker', () => {
  it('shows SASRec top-k at once, then the re-ranked top-k of the 50 candidates', async () => {
    const ranks: number[] = [];
    const state = await loaded(ranks);
    const reranker = heldReranker();
    state.reranker = reranker;
    const done = state.update(['k1', 'k2']);
    await tick();
    expect(ranks).toEqual([50]); // SASRec asked for the C candidates
    expect(reranker.calls[0]).toEqual(Array.from({ length: 50 }, (_, i) => 60 - i)); // ids 60..11
    expect(state.recommendations.map((r) => r.key)).toEqual(['k60', 'k59', 'k58', 'k57', 'k56']);
    expect(state.listSource).toBe('sasrec');
    expect(state.reranking).toBe(true);
    reranker.release();
    await done;
    // reversed candidates: ids 11, 12, … with their SASRec scores
    expect(state.recommendations.map((r) => [r.key, r.score])).toEqual([
      ['k11', 0.11],
      ['k12', 0.12],
      ['k13', 0.13],
      ['k14', 0.14],
      ['k15', 0.15],
    ]);
    // and their places in SASRec's order of the 50 (ids 60..11), which the page compares with the screen's
    expect(state.recommendations.map((r) => r.sasrecRank)).toEqual([50, 49, 48, 47, 46]);
    expect(state.listSource).toBe('sasrec+llm');
    expect(state.reranking).toBe(false);
    expect(state.lastRun?.rerankMs).toBe(3);
  });

  it('a newer history drops the pending re-rank; a failed re-rank keeps the SASRec list', async () => {
    const state = await loaded([]);
    const reranker = heldReranker();
    state.reranker = reranker;
    const first = state.update(['k1']);
    await tick();
    const second = state.update(['k1', 'k60']);
    await tick();
    reranker.release(); // the first history's re-rank arrives late: ignored
    await first;
    expect(state.listSource).toBe('sasrec');
    expect(state.recommendations[0]?.key).toBe('k59');
    reranker.release(new RangeError('worker broke'));
    await second;
    expect(state.listSource).toBe('sasrec');
    expect(state.recommendations.map((r) => r.key)).toEqual(['k59', 'k58', 'k57', 'k56', 'k55']);
    expect(state.rerankError).toBe('RangeError: worker broke');
    expect(state.status).toBe('ready');
  });

  it('without a re-ranker asks SASRec for k items only', async () => {
    const ranks: number[] = [];
    const state = await loaded(ranks);
    await state.update(['k1']);
    expect(ranks).toEqual([5]);
    expect(state.listSource).toBe('sasrec');
  });
});
