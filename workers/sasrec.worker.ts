/// <reference lib="webworker" />
/**
 * The SASRec Web Worker: serves the typed protocol (src/protocol/messages.ts) with the handlers
 * from src/protocol/sasrec-handler.ts. Everything it fetches is on the page's origin.
 */
import { createWebGpuOps } from '../src/protocol/gpu-ops-factory.ts';
import { serve } from '../src/protocol/rpc.ts';
import { createSasrecHandlers } from '../src/protocol/sasrec-handler.ts';
import type { RequestMap } from '../src/protocol/messages.ts';

serve<RequestMap>(
  self,
  createSasrecHandlers({
    fetch: (input, init) => fetch(input, init),
    gpu: 'gpu' in navigator ? navigator.gpu : undefined,
    createGpuOps: createWebGpuOps,
    origin: self.location.origin,
    inWorker: typeof WorkerGlobalScope !== 'undefined' && self instanceof WorkerGlobalScope,
    now: () => performance.now(),
  }),
);
