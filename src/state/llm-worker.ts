/**
 * Starts the LLM Web Worker (workers/llm.worker.ts) for the rec-tuned model's requests and wraps
 * it in a typed rpc client. A crashed worker rejects every pending request with WorkerCrashedError.
 */
import { workerClient } from '../protocol/worker-client.ts';
import type { RpcClient } from '../protocol/rpc.ts';
import type { RecLlmRequestMap } from '../rec/pipeline-protocol.ts';

/** The client of the LLM worker as the page uses it (re-rank + explanations). */
export type RecLlmClient = Pick<RpcClient<RecLlmRequestMap>, 'request'>;

/** Start `workers/llm.worker.ts` as a module worker. */
export function startLlmWorker(): { worker: Worker; client: RpcClient<RecLlmRequestMap> } {
  const worker = new Worker(new URL('../../workers/llm.worker.ts', import.meta.url), {
    type: 'module',
    name: 'llm',
  });
  const client = workerClient<RecLlmRequestMap>(worker, 'LLM worker');
  return { worker, client };
}
