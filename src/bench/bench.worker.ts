/// <reference lib="webworker" />
/**
 * The bench's module Web Worker (like the app's SASRec worker): receives one BenchRequest, posts
 * progress lines and then the report (or the failure). onnxruntime-web's wasm binary is the copy
 * Vite emits next to the bundle, so nothing is fetched from another origin.
 */
import ortWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.jsep.wasm?url';
import { runBench } from './bench-runner.ts';
import type { BenchMessage, BenchRequest } from './messages.ts';

const post = (message: BenchMessage) => self.postMessage(message);

self.addEventListener('message', (event: MessageEvent<BenchRequest>) => {
  runBench(
    event.data,
    {
      fetch: (input, init) => fetch(input, init),
      gpu: 'gpu' in navigator ? navigator.gpu : undefined,
      origin: self.location.origin,
      now: () => performance.now(),
      userAgent: navigator.userAgent,
      cores: navigator.hardwareConcurrency,
      ortWasmUrl,
    },
    (line) => post({ type: 'progress', line }),
  ).then(
    (report) => post({ type: 'done', report }),
    (error: unknown) =>
      post({
        type: 'failed',
        error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      }),
  );
});
