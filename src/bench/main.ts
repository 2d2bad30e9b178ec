/**
 * bench.html: starts the bench worker with the request from the query string and shows progress.
 * When finished, `#report` holds the report JSON (data-state="done") or the error (data-state="failed");
 * models/tools/bench-sasrec.ts waits for that attribute.
 */
import type { BenchMessage } from './messages.ts';
import { requestFromQuery } from './messages.ts';

const log = document.getElementById('log') as HTMLPreElement;
const report = document.getElementById('report') as HTMLPreElement;

/** Show `line` on the page and in the console (the CLI echoes console lines). */
function say(line: string): void {
  log.textContent += `${line}\n`;
  console.log(`[bench] ${line}`);
}

function finish(state: 'done' | 'failed', text: string): void {
  report.textContent = text;
  report.dataset.state = state;
}

try {
  const request = requestFromQuery(new URLSearchParams(location.search), undefined);
  say(
    `measuring ${request.modelUrl}: lengths ${request.lengths.join(', ')}, ${request.warmup} warm-up + ${request.runs} runs`,
  );
  const worker = new Worker(new URL('./bench.worker.ts', import.meta.url), { type: 'module', name: 'bench' });
  worker.addEventListener('message', (event: MessageEvent<BenchMessage>) => {
    const message = event.data;
    if (message.type === 'progress') say(message.line);
    else if (message.type === 'done') finish('done', JSON.stringify(message.report, null, 1));
    else finish('failed', message.error);
  });
  worker.addEventListener('error', (event) =>
    finish('failed', `the bench worker crashed: ${event.message || 'script error'}`),
  );
  worker.postMessage(request);
} catch (error) {
  finish('failed', error instanceof Error ? `${error.name}: ${error.message}` : String(error));
}
