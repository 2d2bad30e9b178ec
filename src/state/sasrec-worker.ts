/**
 * Starts the SASRec Web Worker and wraps it in a typed rpc client (a crashed worker rejects every
 * pending request with WorkerCrashedError), and loads models in it for the Models panel.
 */
import { workerClient } from '../protocol/worker-client.ts';
import { ModelLoadError } from '../protocol/errors.ts';
import type { BackendPreference, Progress } from '../protocol/messages.ts';
import type { RequestMap } from '../protocol/messages-sasrec.ts';
import type { RpcClient } from '../protocol/rpc.ts';
import type { RecommenderState, SasrecRequester } from './recommender.svelte.ts';

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

/** The worker's client with a tap on `sasrec.load` progress (RecommenderState keeps only a line of it). */
export interface LoadProgressTap {
  /** hand this to RecommenderState: `sasrec.load` reports also reach the listener */
  client: SasrecRequester;
  /** Receive every `sasrec.load` progress report until the returned function is called. */
  listen(listener: (progress: Progress) => void): () => void;
}

/** Tap the `sasrec.load` progress of `client`'s requests. */
export function tapLoadProgress(client: SasrecRequester): LoadProgressTap {
  const listeners = new Set<(progress: Progress) => void>();
  const request: SasrecRequester['request'] = (kind, params, options = {}) => {
    if (kind !== 'sasrec.load') return client.request(kind, params, options);
    const onProgress = (progress: Progress) => {
      options.onProgress?.(progress);
      for (const listener of listeners) listener(progress);
    };
    return client.request(kind, params, { ...options, onProgress });
  };
  return {
    client: { request },
    listen(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}

/**
 * The Models panel's `useSasrec` over `recommender.load` (whose client is `tap.client`): loads `dir`
 * (relative to `baseUrl`) on `backend`, passes the worker's steps to `onProgress`, and rejects with
 * ModelLoadError when the worker did not load it (a cancelled load resolves; the model loaded
 * before stays in use).
 */
export function sasrecLoader(
  recommender: RecommenderState,
  tap: LoadProgressTap,
  backend: BackendPreference,
  baseUrl: string,
): (dir: string, signal: AbortSignal, onProgress: (progress: Progress) => void) => Promise<void> {
  return async (dir, signal, onProgress) => {
    const stop = tap.listen(onProgress);
    try {
      await recommender.load(new URL(dir, baseUrl).href, backend, signal);
    } finally {
      stop();
    }
    if (recommender.status === 'error') {
      throw new ModelLoadError(
        `The SASRec worker could not load ${dir}: ${recommender.error ?? 'no reason given'}`,
      );
    }
  };
}
