/**
 * Starts the LLM Web Worker (workers/llm.worker.ts) and wraps it in a typed rpc client: the
 * rec-tuned model's requests, the interest model's, the plain LLM protocol (loading a GGUF the user picked, a sample) and
 * the prompted steps for that model. A crashed worker rejects every pending request with
 * WorkerCrashedError.
 */
import type { LlmRequestMap } from '../protocol/messages-llm.ts';
import { workerClient } from '../protocol/worker-client.ts';
import type { RpcClient } from '../protocol/rpc.ts';
import type { InterestRequestMap } from '../rec/interest-protocol.ts';
import type { RecLlmRequestMap } from '../rec/pipeline-protocol.ts';
import type { PromptedLlmRequestMap } from '../rec/prompted-protocol.ts';

/** Every request the LLM worker serves. */
export type PageLlmRequestMap = RecLlmRequestMap & InterestRequestMap & LlmRequestMap & PromptedLlmRequestMap;

/** The client of the LLM worker as the page uses it. */
export type PageLlmClient = Pick<RpcClient<PageLlmRequestMap>, 'request'>;

/** Start `workers/llm.worker.ts` as a module worker. */
export function startLlmWorker(): { worker: Worker; client: RpcClient<PageLlmRequestMap> } {
  const worker = new Worker(new URL('../../workers/llm.worker.ts', import.meta.url), {
    type: 'module',
    name: 'llm',
  });
  const client = workerClient<PageLlmRequestMap>(worker, 'LLM worker');
  return { worker, client };
}
