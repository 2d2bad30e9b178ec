/**
 * Starts the training Web Worker (workers/train.worker.ts) and wraps it in a typed rpc client; a
 * crashed worker rejects its pending request with WorkerCrashedError.
 */
import { WorkerCrashedError } from '../protocol/errors.ts';
import type { TrainMap } from '../protocol/messages.ts';
import { RpcClient } from '../protocol/rpc.ts';

/** Start the training worker as a module worker. */
export function startTrainWorker(): RpcClient<TrainMap> {
  const worker = new Worker(new URL('../../workers/train.worker.ts', import.meta.url), {
    type: 'module',
    name: 'train',
  });
  const client = new RpcClient<TrainMap>(worker);
  worker.addEventListener('error', (event) => {
    client.failAll(new WorkerCrashedError(`The training worker failed: ${event.message || 'script error'}.`));
  });
  return client;
}
