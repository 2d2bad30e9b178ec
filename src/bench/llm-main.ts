/**
 * bench-llm.html: starts the LLM bench worker with the request from the query string and shows
 * progress. When finished, `#report` holds the report JSON (data-state="done") or the error
 * (data-state="failed"); models/tools/bench-llm.ts waits for that attribute.
 */
import { llmRequestFromQuery, type LlmBenchMessage } from './llm-messages.ts';

const log = document.getElementById('log') as HTMLPreElement;
const report = document.getElementById('report') as HTMLPreElement;

function say(line: string): void {
  log.textContent += `${line}\n`;
  console.log(`[bench:llm] ${line}`);
}

function finish(state: 'done' | 'failed', text: string): void {
  report.textContent = text;
  report.dataset.state = state;
}

try {
  const request = llmRequestFromQuery(new URLSearchParams(location.search));
  say(
    'kind' in request
      ? `greedy cross-check of ${request.modelUrls.join(', ')}: ${request.tokens} tokens`
      : `measuring ${request.modelUrl}: ~${request.promptTokens} prompt + ${request.decodeTokens} decoded tokens`,
  );
  const worker = new Worker(new URL('./llm-bench.worker.ts', import.meta.url), {
    type: 'module',
    name: 'bench-llm',
  });
  worker.addEventListener('message', (event: MessageEvent<LlmBenchMessage>) => {
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
