/**
 * The one SASRec worker of a page's widgets (module-level singleton, so one GPU device too).
 *
 * Cross-origin start: `new Worker(url)` only accepts a script of the page's own origin. When
 * widget.js comes from another origin, the worker is started from a same-origin Blob whose only
 * line imports the real worker module from the widget's origin (a module worker may import
 * cross-origin modules under CORS). The host page's CSP must then allow `worker-src blob:`.
 */
import { WorkerCrashedError } from '../protocol/errors.ts';
import type { RequestMap } from '../protocol/messages-sasrec.ts';
import { RpcClient } from '../protocol/rpc.ts';
import { SerialSasrecClient } from './serial-client.ts';
import workerUrl from './widget.worker.ts?worker&url';

/** Name shown in devtools (and by Playwright) for the widgets' worker. */
export const WIDGET_WORKER_NAME = 'local-rec';

let shared: SerialSasrecClient | undefined;

/** The source of a Blob module worker that loads `moduleUrl` (exported for tests). */
export function blobWorkerSource(moduleUrl: string): string {
  return `import ${JSON.stringify(moduleUrl)};\n`;
}

/** Start the worker script at `scriptUrl`: directly when same-origin, through a Blob otherwise. */
export function startWidgetWorker(scriptUrl: URL, pageOrigin: string): Worker {
  const options: WorkerOptions = { type: 'module', name: WIDGET_WORKER_NAME };
  if (scriptUrl.origin === pageOrigin) return new Worker(scriptUrl, options);
  const blob = new Blob([blobWorkerSource(scriptUrl.href)], { type: 'text/javascript' });
  // not revoked: the worker keeps needing it until it has loaded, and there is one per page
  return new Worker(URL.createObjectURL(blob), options);
}

/** The page-wide client; the first call starts the worker. */
export function sharedSasrecClient(): SerialSasrecClient {
  if (shared) return shared;
  const worker = startWidgetWorker(new URL(workerUrl, import.meta.url), location.origin);
  const client = new RpcClient<RequestMap>(worker);
  worker.addEventListener('error', (event) => {
    client.failAll(
      new WorkerCrashedError(`The LocalRec widget worker failed: ${event.message || 'script error'}.`),
    );
  });
  shared = new SerialSasrecClient(client);
  return shared;
}
