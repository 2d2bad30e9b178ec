/**
 * Starts the SASRec Web Worker and wraps it in a typed rpc client. A crashed worker rejects every
 * pending request with WorkerCrashedError.
 */
import { workerClient } from '../protocol/worker-client.ts';
import type { RequestMap } from '../protocol/messages.ts';
import type { RpcClient } from '../protocol/rpc.ts';

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
