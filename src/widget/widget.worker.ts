/// <reference lib="webworker" />
/**
 * The widget's SASRec worker: the same handlers as workers/sasrec.worker.ts, but the origin it
 * may load models from is the origin of THIS script (import.meta.url), not `self.location`: on a
 * host page of another origin the worker starts from a same-origin Blob that imports this module
 * (see shared-worker.ts), so `self.location` is the host's blob URL while the models live beside
 * widget.js.
 */
import { createWebGpuOps } from '../protocol/gpu-ops-factory.ts';
import type { RequestMap } from '../protocol/messages.ts';
import { serve } from '../protocol/rpc.ts';
import { createSasrecHandlers } from '../protocol/sasrec-handler.ts';

serve<RequestMap>(
  self,
  createSasrecHandlers({
    fetch: (input, init) => fetch(input, init),
    gpu: 'gpu' in navigator ? navigator.gpu : undefined,
    createGpuOps: createWebGpuOps,
    origin: new URL(import.meta.url).origin,
    inWorker: typeof WorkerGlobalScope !== 'undefined' && self instanceof WorkerGlobalScope,
    now: () => performance.now(),
  }),
);
