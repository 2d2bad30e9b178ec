/**
 * Starts the SASRec Web Worker and wraps it in a typed rpc client (a crashed worker rejects every
 * pending request with WorkerCrashedError), and loads models in it for the Models panel.
 */
import { workerClient } from '../protocol/worker-client.ts';
import { ModelLoadError } from '../protocol/errors.ts';
import type { BackendPreference, RequestMap } from '../protocol/messages.ts';
import type { RpcClient } from '../protocol/rpc.ts';
import type { RecommenderState } from './recommender.svelte.ts';

/** A running worker and its client. */
export interface SasrecWorker {
  worker: Worker;
  client: RpcClient<RequestMap>;
}

/** Start `workers/sasrec.worker.ts` as a module worker. */
export function startSasrecWorker(): SasrecWorker {
  const worker = new Worker(new URL('../../workers/sasrec.worker.ts', import.meta.url), {
    type: 'module',
    name: 'sasrec',
  });
  const client = workerClient<RequestMap>(worker, 'SASRec worker');
  return { worker, client };
}

/**
 * The Models panel's `useSasrec` over `recommender.load`: loads `dir` (relative to `baseUrl`) on
 * `backend` and rejects with ModelLoadError when the worker did not load it (a cancelled load
 * resolves; the model loaded before stays in use).
 */
export function sasrecLoader(
  recommender: RecommenderState,
  backend: BackendPreference,
  baseUrl: string,
): (dir: string, signal: AbortSignal) => Promise<void> {
  return async (dir, signal) => {
    await recommender.load(new URL(dir, baseUrl).href, backend, signal);
    if (recommender.status === 'error') {
      throw new ModelLoadError(
        `The SASRec worker could not load ${dir}: ${recommender.error ?? 'no reason given'}`,
      );
    }
  };
}
