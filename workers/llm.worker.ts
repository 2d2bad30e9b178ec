/// <reference lib="webworker" />
/**
 * The LLM Web Worker: serves the LLM protocol (LlmRequestMap in src/protocol/messages.ts) with the
 * handlers from src/protocol/llm-handler.ts, and the rec-tuned model's requests (RecLlmRequestMap:
 * re-rank and explanations, src/rec/pipeline-handler.ts). Model files come from the page's origin only.
 */
import { acquireDevice } from '../src/gpu/device.ts';
import { GpuOps } from '../src/gpu/gpu-ops.ts';
import { createLlmHandlers } from '../src/protocol/llm-handler.ts';
import type { LlmRequestMap } from '../src/protocol/messages.ts';
import { serve } from '../src/protocol/rpc.ts';
import { openModelStore } from '../src/store/open-store.ts';
import { createRecLlmHandlers } from '../src/rec/pipeline-handler.ts';
import type { RecLlmRequestMap } from '../src/rec/pipeline-protocol.ts';

const env = {
  fetch: (input: RequestInfo | URL, init?: RequestInit) => fetch(input, init),
  gpu: 'gpu' in navigator ? navigator.gpu : undefined,
  createGpuOps: async (gpu: GPU) => new GpuOps(await acquireDevice(gpu)),
  origin: self.location.origin,
  inWorker: typeof WorkerGlobalScope !== 'undefined' && self instanceof WorkerGlobalScope,
  now: () => performance.now(),
  // the rec-tuned model's GGUF is kept in the model store (src/rec/pipeline-handler.ts)
  openStore: () => openModelStore(),
};
serve<LlmRequestMap & RecLlmRequestMap>(self, { ...createLlmHandlers(env), ...createRecLlmHandlers(env) });
