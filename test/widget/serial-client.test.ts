import { describe, expect, it } from 'vitest';
import { CancelledError } from '../../src/protocol/errors.ts';
import type { RequestMap, SasrecLoadResult } from '../../src/protocol/messages-sasrec.ts';
import type { SasrecRequester } from '../../src/state/recommender.svelte.ts';
import { SerialSasrecClient } from '../../src/widget/serial-client.ts';

/** A fake worker: one model slot, records every request, answers after a tick; rank returns the model id length. */
function fakeWorker() {
  const log: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  let holding: string | undefined;
  const request = (async (kind: keyof RequestMap, params: { modelUrl?: string; history?: number[] }) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await new Promise((r) => setTimeout(r, 1));
    inFlight--;
    if (kind === 'sasrec.load') {
      holding = params.modelUrl;
      log.push(`load ${holding}`);
      return { modelId: holding, itemKeys: [] } as unknown as SasrecLoadResult;
    }
    log.push(`${kind} on ${holding} for ${params.history?.join(',')}`);
    return { ids: [], scores: [], model: holding };
  }) as unknown as SasrecRequester['request'];
  return { requester: { request } as SasrecRequester, log, maxInFlight: () => maxInFlight };
}

const rank = (history: number[]) => ({ history, k: 5 });

describe('SerialSasrecClient (one worker for many widgets)', () => {
  it('runs requests one at a time and loads a shared model once', async () => {
    const worker = fakeWorker();
    const shared = new SerialSasrecClient(worker.requester);
    const a = shared.requester();
    const b = shared.requester();
    const [la, lb] = await Promise.all([
      a.request('sasrec.load', { modelUrl: 'm1' }),
      b.request('sasrec.load', { modelUrl: 'm1' }),
    ]);
    expect(la.modelId).toBe('m1');
    expect(lb).toBe(la);
    await Promise.all([a.request('sasrec.rank', rank([1])), b.request('sasrec.rank', rank([2]))]);
    expect(worker.log).toEqual(['load m1', 'sasrec.rank on m1 for 1', 'sasrec.rank on m1 for 2']);
    expect(worker.maxInFlight()).toBe(1);
    expect(shared.workerLoads).toBe(1);
  });

  it('switches the worker to each widget’s own model before ranking for it', async () => {
    const worker = fakeWorker();
    const shared = new SerialSasrecClient(worker.requester);
    const a = shared.requester();
    const b = shared.requester();
    await Promise.all([
      a.request('sasrec.load', { modelUrl: 'm1' }),
      b.request('sasrec.load', { modelUrl: 'm2' }),
    ]);
    await Promise.all([
      a.request('sasrec.rank', rank([1])),
      b.request('sasrec.rank', rank([2])),
      a.request('sasrec.attribution', { history: [1], items: [3], top: 1 }),
    ]);
    expect(worker.log).toEqual([
      'load m1',
      'load m2',
      'load m1',
      'sasrec.rank on m1 for 1',
      'load m2',
      'sasrec.rank on m2 for 2',
      'load m1',
      'sasrec.attribution on m1 for 1',
    ]);
  });

  it('drops a widget’s queued request superseded by its newer one, not other widgets’ requests', async () => {
    const worker = fakeWorker();
    const shared = new SerialSasrecClient(worker.requester);
    const a = shared.requester();
    const b = shared.requester();
    await a.request('sasrec.load', { modelUrl: 'm1' });
    await b.request('sasrec.load', { modelUrl: 'm1' });
    const first = a.request('sasrec.rank', rank([1]));
    const other = b.request('sasrec.rank', rank([9]));
    const second = a.request('sasrec.rank', rank([1, 2]));
    await expect(first).rejects.toBeInstanceOf(CancelledError);
    await Promise.all([other, second]);
    expect(worker.log).toEqual(['load m1', 'sasrec.rank on m1 for 9', 'sasrec.rank on m1 for 1,2']);
  });

  it('keeps going after a failed request and retries a failed load next time', async () => {
    let failNext = true;
    const inner: SasrecRequester = {
      request: (async (kind: string) => {
        if (kind === 'sasrec.load' && failNext) {
          failNext = false;
          throw new Error('HTTP 404');
        }
        return kind === 'sasrec.load' ? { modelId: 'm1' } : { ids: [] };
      }) as unknown as SasrecRequester['request'],
    };
    const shared = new SerialSasrecClient(inner);
    const a = shared.requester();
    await expect(a.request('sasrec.load', { modelUrl: 'm1' })).rejects.toThrow('HTTP 404');
    await expect(a.request('sasrec.rank', rank([1]))).resolves.toEqual({ ids: [] });
    expect(shared.workerLoads).toBe(2);
  });
});
