/**
 * Starts the SASRec Web Worker and wraps it in a typed rpc client. A crashed worker rejects every
 * pending request with WorkerCrashedError.
 */
import { WorkerCrashedError } from '../protocol/errors.ts';
import type { RequestMap } from '../protocol/messages.ts';
import { RpcClient } from '../protocol/rpc.ts';

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
  const client = new RpcClient<RequestMap>(worker);
  worker.addEventListener('error', (event) => {
    client.failAll(new WorkerCrashedError(`The SASRec worker failed: ${event.message || 'script error'}.`));
  });
  return { worker, client };
}
