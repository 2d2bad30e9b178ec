/// <reference lib="webworker" />
/**
 * The SASRec Web Worker: serves the typed protocol (src/protocol/messages.ts) with the handlers
 * from src/protocol/sasrec-handler.ts. Everything it fetches is on the origin of THIS script
 * (import.meta.url): the page's origin for the demo; for the widget on a host page of another
 * origin the worker starts from a same-origin Blob that imports this module (src/widget/
 * shared-worker.ts), so `self.location` would be the host's blob URL while the models live beside
 * widget.js.
 */
import { createWebGpuOps } from '../src/protocol/gpu-ops-factory.ts';
import { serve } from '../src/protocol/rpc.ts';
import { createSasrecHandlers } from '../src/protocol/sasrec-handler.ts';
import type { RequestMap } from '../src/protocol/messages-sasrec.ts';
import { openModelStore } from '../src/store/open-store.ts';
import { storeBackedFetch } from '../src/store/worker-fetch.ts';

serve<RequestMap>(
  self,
  createSasrecHandlers({
    // model files go through the model store (kept across visits, sha256-checked)
    fetch: storeBackedFetch(openModelStore, (input, init) => fetch(input, init)),
    gpu: 'gpu' in navigator ? navigator.gpu : undefined,
    createGpuOps: createWebGpuOps,
    origin: new URL(import.meta.url).origin,
    inWorker: typeof WorkerGlobalScope !== 'undefined' && self instanceof WorkerGlobalScope,
    now: () => performance.now(),
  }),
);
