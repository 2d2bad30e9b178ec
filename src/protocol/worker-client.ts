/**
 * The page side of a module Web Worker: a typed rpc client over it whose pending requests reject
 * with WorkerCrashedError when the worker fails (script error, crash). The `new Worker(new URL(…))`
 * stays at each call site: Vite bundles a worker only from that literal form.
 */
import { WorkerCrashedError } from './errors.ts';
import type { AnyRequestMap } from './messages.ts';
import { RpcClient } from './rpc.ts';

/** A typed client of `worker`; `what` names it in the crash message ("The <what> failed: …"). */
export function workerClient<M extends AnyRequestMap>(worker: Worker, what: string): RpcClient<M> {
  const client = new RpcClient<M>(worker);
  worker.addEventListener('error', (event) => {
    client.failAll(new WorkerCrashedError(`The ${what} failed: ${event.message || 'script error'}.`));
  });
  return client;
}
