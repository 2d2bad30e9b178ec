/**
 * The peer for bench:llm: `@wllama/wllama` (llama.cpp in wasm) on the same GGUF bytes, CPU only,
 * one thread, its wasm served from our origin. Prefill and decode rates come from llama.cpp's own
 * timings (prompt_ms, predicted_ms); time to first token is our wall clock from the request to
 * the first streamed text.
 */
import { Wllama } from '@wllama/wllama';
import wllamaWasmUrl from '@wllama/wllama/esm/wasm/wllama.wasm?url';
import type { GenerationTiming } from './llm-report.ts';

/** wllama did not report the timings the bench needs. */
export class WllamaTimingError extends Error {
  override readonly name = 'WllamaTimingError';
}

/** Loads `gguf` into a one-thread, CPU-only wllama. */
export async function loadWllama(gguf: Uint8Array, contextLength: number): Promise<Wllama> {
  const wllama = new Wllama({ default: wllamaWasmUrl }, { suppressNativeLog: true });
  await wllama.loadModel([new Blob([new Uint8Array(gguf)])], {
    n_threads: 1,
    n_gpu_layers: 0,
    n_ctx: contextLength,
    seed: 0,
  });
  return wllama;
}

/** One greedy generation of `decodeTokens` + 1 tokens after `prompt`, EOS ignored; `now` in ms. */
export async function timeWllamaGeneration(
  wllama: Wllama,
  prompt: string,
  decodeTokens: number,
  now: () => number,
): Promise<GenerationTiming> {
  const started = now();
  let firstToken: number | null = null;
  let timings: { prompt_n: number; prompt_ms: number; predicted_n: number; predicted_ms: number } | undefined;
  const stream = await wllama.createCompletion({
    prompt,
    stream: true,
    max_tokens: decodeTokens + 1,
    temperature: 0,
    ignore_eos: true,
  });
  for await (const chunk of stream) {
    if (firstToken === null && chunk.choices[0]?.text) firstToken = now();
    if (chunk.timings) timings = chunk.timings;
  }
  if (!timings || firstToken === null) {
    throw new WllamaTimingError('wllama streamed no text or no timings; cannot measure it');
  }
  return {
    promptTokens: timings.prompt_n,
    ttftMs: firstToken - started,
    prefillMs: timings.prompt_ms,
    // llama.cpp's own decode figures (predicted_per_second = predicted_n / predicted_ms)
    decodeTokens: timings.predicted_n,
    decodeMs: timings.predicted_ms,
  };
}
