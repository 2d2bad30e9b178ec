/**
 * Starts the training Web Worker (workers/train.worker.ts) and wraps it in a typed rpc client; a
 * crashed worker rejects its pending request with WorkerCrashedError.
 */
import { workerClient } from '../protocol/worker-client.ts';
import type { TrainMap } from '../protocol/messages-train.ts';
import type { RpcClient } from '../protocol/rpc.ts';

/** Start the training worker as a module worker. */
export function startTrainWorker(): RpcClient<TrainMap> {
  const worker = new Worker(new URL('../../workers/train.worker.ts', import.meta.url), {
    type: 'module',
    name: 'train',
  });
  const client = workerClient<TrainMap>(worker, 'training worker');
  return client;
}
