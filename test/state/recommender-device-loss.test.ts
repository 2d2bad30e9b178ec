/**
 * RecommenderState when the worker's WebGPU device is lost under a ranking: the worker fails that
 * request with the named DeviceLostError (having re-created the device); the page keeps the error's
 * text for the status line, sends the ranking once more and shows its list. Other errors are not retried.
 */
import { describe, expect, it } from 'vitest';
import { DeviceLostError } from '../../src/gpu/device.ts';
import { InvalidRequestError, RemoteError } from '../../src/protocol/errors.ts';
import type { SasrecRequester } from '../../src/state/recommender.svelte.ts';
import { RecommenderState } from '../../src/state/recommender.svelte.ts';

const KEYS = ['a', 'b', 'c', 'd', 'e', 'f']; // [N] item id i + 1 ↔ KEYS[i]

/** A worker whose first `failures.length` rank requests throw those errors; then it ranks ids 6, 5, … */
function workerFailingFirst(failures: Error[]): SasrecRequester & { ranks: number } {
  const worker = {
    ranks: 0,
    request: async (kind: string, params: unknown): Promise<unknown> => {
      if (kind === 'sasrec.load')
        return {
          modelId: 'm',
          itemCount: 6,
          maxLen: 50,
          backend: 'webgpu',
          itemKeys: KEYS,
          inWorker: true,
          ms: 1,
        };
      if (kind === 'sasrec.attribution') return { because: [], ms: 1 };
      if (kind !== 'sasrec.rank') throw new Error(`unexpected ${kind}`);
      worker.ranks++;
      const failure = failures.shift();
      if (failure) throw failure;
      const { history, k } = params as { history: number[]; k: number };
      const ids = [6, 5, 4, 3, 2, 1].filter((id) => !history.includes(id)).slice(0, k); // [≤ k]
      return { ids, scores: ids.map((id) => id / 10), backend: 'webgpu', ms: 2, incremental: false };
    },
  };
  return worker as unknown as SasrecRequester & { ranks: number };
}

async function rankedAfter(failures: Error[]): Promise<{ state: RecommenderState; ranks: number }> {
  const worker = workerFailingFirst(failures);
  const state = new RecommenderState(worker, 3);
  await state.load('models/m', 'webgpu');
  await state.update(['a']);
  return { state, ranks: worker.ranks };
}

const LOST_MESSAGE =
  'The WebGPU device was lost (unknown) during sasrec.rank; LocalRec re-created the WebGPU device and reloaded the model on it. Send the request again.';

describe('RecommenderState after a lost WebGPU device', () => {
  it('shows the named error and the list of the second try', async () => {
    const lost = new DeviceLostError(LOST_MESSAGE, { reason: 'unknown' });
    const { state, ranks } = await rankedAfter([lost]);
    expect(ranks).toBe(2);
    expect(state.status).toBe('ready');
    expect(state.recommendations.map((r) => r.key)).toEqual(['f', 'e', 'd']);
    expect(state.lastRun?.deviceLost).toBe(`DeviceLostError: ${LOST_MESSAGE}`);
  });

  it('recognises the error by name where its class is not registered (widget bundle)', async () => {
    const remote = new RemoteError(LOST_MESSAGE, { reason: 'unknown' }, 'DeviceLostError');
    const { state, ranks } = await rankedAfter([remote]);
    expect(ranks).toBe(2);
    expect(state.lastRun?.deviceLost).toMatch(/^DeviceLostError: The WebGPU device was lost/);
  });

  it('sends it once more only: a second loss in a row is reported as the error', async () => {
    const lost = () => new DeviceLostError(LOST_MESSAGE, { reason: 'unknown' });
    const { state, ranks } = await rankedAfter([lost(), lost()]);
    expect(ranks).toBe(2);
    expect(state.status).toBe('error');
    expect(state.error).toMatch(/WebGPU device was lost/);
  });

  it('does not retry other errors, and a normal ranking carries no device note', async () => {
    const failed = await rankedAfter([new InvalidRequestError('bad history')]);
    expect(failed.ranks).toBe(1);
    expect(failed.state.status).toBe('error');
    const fine = await rankedAfter([]);
    expect(fine.state.lastRun?.deviceLost).toBeUndefined();
  });
});
