/**
 * bench-llm.html ↔ its worker: the request (from the page's query string), the messages back, and
 * the seeded prompts every engine is timed on.
 */
import type { Tokenizer } from '../llm/tokenizer.ts';
import type { GreedyCheckReport, GreedyCheckRequest } from './llm-greedy.ts';
import type { LlmBenchReport } from './llm-report.ts';

/** What to measure. */
export interface LlmBenchRequest {
  /** GGUF file on our origin, e.g. "llm/stories260K.gguf" (bench-llm.ts copies it there) */
  modelUrl: string;
  /** approximate prompt length in tokens */
  promptTokens: number;
  /** tokens decoded after the first one */
  decodeTokens: number;
  warmup: number;
  runs: number;
}

/** Page → worker: the timing bench or the greedy cross-check. */
export type LlmPageRequest = LlmBenchRequest | GreedyCheckRequest;

/** Worker → page. */
export type LlmBenchMessage =
  | { type: 'progress'; line: string }
  | { type: 'done'; report: LlmBenchReport | GreedyCheckReport }
  | { type: 'failed'; error: string };

/** The query string is malformed. */
export class LlmBenchQueryError extends Error {
  override readonly name = 'LlmBenchQueryError';
}

/** The whole-number query parameter `name` (≥ `min`), or `fallback` when absent. */
function wholeParameter(query: URLSearchParams, name: string, fallback: number, min: number): number {
  const raw = query.get(name);
  const value = raw === null ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new LlmBenchQueryError(`?${name}= must be a whole number ≥ ${min}, got "${raw}"`);
  }
  return value;
}

/**
 * ?model=stories260K.gguf&prompt=128&decode=128&warmup=1&runs=5 → the timing bench;
 * ?check=greedy&models=a.gguf,b.gguf&tokens=100 → the greedy cross-check (src/bench/llm-greedy.ts).
 */
export function llmRequestFromQuery(query: URLSearchParams): LlmPageRequest {
  const whole = (name: string, fallback: number, min: number) => wholeParameter(query, name, fallback, min);
  const check = query.get('check');
  if (check !== null) {
    const models = (query.get('models') ?? '').split(',').filter(Boolean);
    if (check !== 'greedy' || models.length === 0) {
      throw new LlmBenchQueryError(
        `?check= must be "greedy" with ?models=<file.gguf>[,…], got check="${check}" models="${query.get('models')}"`,
      );
    }
    return { kind: 'greedy', modelUrls: models.map((m) => `llm/${m}`), tokens: whole('tokens', 100, 1) };
  }
  return {
    modelUrl: `llm/${query.get('model') ?? 'stories260K.gguf'}`,
    promptTokens: whole('prompt', 128, 2),
    decodeTokens: whole('decode', 128, 1),
    warmup: whole('warmup', 1, 0),
    runs: whole('runs', 5, 1),
  };
}

const OPENINGS = ['Once', 'One', 'Lily', 'Tom', 'The', 'A', 'Sam', 'Ben', 'Mia', 'Max', 'Sue', 'Tim'];
const STORY =
  ' upon a time, there was a little girl named Lily. She loved to play outside in the park with her big red ball.';

/**
 * `count` prompts of about `tokens` tokens (BOS included, by our tokenizer), each starting with a
 * different opening (first word, then a run number past the word list) so no engine can reuse a
 * cached prompt between runs beyond a token or two.
 */
export function benchPrompts(tokenizer: Tokenizer, tokens: number, count: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    let text = `${OPENINGS[i % OPENINGS.length]}${i >= OPENINGS.length ? ` ${i}` : ''}`;
    while (tokenizer.encode(text + STORY).length <= tokens) text += STORY;
    const words = STORY.split(' ');
    for (const word of words) {
      if (tokenizer.encode(`${text} ${word}`).length > tokens) break;
      if (word) text += ` ${word}`;
    }
    return text;
  });
}
