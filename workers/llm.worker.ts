/// <reference lib="webworker" />
/**
 * The LLM Web Worker: serves the LLM protocol (LlmRequestMap in src/protocol/messages-llm.ts) with the
 * handlers from src/protocol/llm-handler.ts, and the rec-tuned model's requests (RecLlmRequestMap:
 * re-rank and explanations, src/rec/pipeline-handler.ts), the interest model's (TALLRec's P(yes),
 * src/rec/interest-handler.ts), and the same steps by prompting for a GGUF
 * the user loaded (PromptedLlmRequestMap, src/rec/prompted-handler.ts). Model files come from the
 * page's origin or the model store only.
 */
import { acquireDevice } from '../src/gpu/device.ts';
import { GpuOps } from '../src/gpu/gpu-ops.ts';
import { createLlmHandlers, LlmSlot } from '../src/protocol/llm-handler.ts';
import type { LlmRequestMap } from '../src/protocol/messages-llm.ts';
import { serve } from '../src/protocol/rpc.ts';
import { openModelStore } from '../src/store/open-store.ts';
import { createInterestHandlers } from '../src/rec/interest-handler.ts';
import type { InterestRequestMap } from '../src/rec/interest-protocol.ts';
import { createRecLlmHandlers } from '../src/rec/pipeline-handler.ts';
import type { RecLlmRequestMap } from '../src/rec/pipeline-protocol.ts';
import { createPromptedHandlers } from '../src/rec/prompted-handler.ts';
import type { PromptedLlmRequestMap } from '../src/rec/prompted-protocol.ts';

const env = {
  fetch: (input: RequestInfo | URL, init?: RequestInit) => fetch(input, init),
  gpu: 'gpu' in navigator ? navigator.gpu : undefined,
  createGpuOps: async (gpu: GPU) => new GpuOps(await acquireDevice(gpu)),
  origin: self.location.origin,
  inWorker: typeof WorkerGlobalScope !== 'undefined' && self instanceof WorkerGlobalScope,
  now: () => performance.now(),
  // the rec-tuned model's GGUF is kept in the model store (src/rec/pipeline-handler.ts); llm.load reads a picked one
  openStore: () => openModelStore(),
};
// the model llm.load places (e.g. a GGUF the user picked) also serves the prompted requests
const slot = new LlmSlot();
serve<LlmRequestMap & RecLlmRequestMap & InterestRequestMap & PromptedLlmRequestMap>(self, {
  ...createLlmHandlers(env, slot),
  ...createRecLlmHandlers(env),
  ...createInterestHandlers(env),
  ...createPromptedHandlers(slot, env.now),
});
