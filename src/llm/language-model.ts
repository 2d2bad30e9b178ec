/**
 * One interface for every language-model runtime the app can use: ours (LlamaForward on a chosen
 * LlamaOps, src/llm/backends/own.ts) and an adapter over `@mlc-ai/web-llm` for its prebuilt MLC
 * models on capable GPUs (src/llm/backends/web-llm.ts). Callers (the LLM worker, the re-ranker)
 * depend only on this file.
 *
 * Lifecycle: a backend's `load…` function returns a ready `LanguageModel`; `generate` streams
 * tokens (cancel with an AbortSignal); `score` returns log-likelihoods of continuations; `dispose`
 * frees everything. One request runs at a time per model (later ones wait their turn).
 */
import type { StopReason } from './generate.ts';
import type { SamplingOptions } from './sampler.ts';
import type { Continuation, ContinuationScore } from './score.ts';

export type { Continuation, ContinuationScore } from './score.ts';
export type { StopReason } from './generate.ts';

/** The runtime cannot do what was asked (e.g. web-llm has no log-likelihoods of given text). */
export class UnsupportedOperationError extends Error {
  override name = 'UnsupportedOperationError';
}

/** A model was used after `dispose()`. */
export class LanguageModelDisposedError extends Error {
  override name = 'LanguageModelDisposedError';
}

/** What a loaded model is and what it can do. */
export interface LanguageModelInfo {
  /** model description, e.g. "GGUF v3 (llama, F32)" or a web-llm model id */
  id: string;
  /** what computes: 'cpu' | 'webgpu' (ours) or 'web-llm' */
  backend: string;
  /** tokens the KV cache holds (prompt + generated), null when unknown */
  contextLength: number | null;
  /** tokenizer: vocabulary size and special ids, null when the runtime does not expose them */
  vocabSize: number | null;
  bos: number | null;
  eos: number | null;
  /** `score` works (else it throws UnsupportedOperationError) */
  canScore: boolean;
  /** `generate` accepts `allowedTokens` (else it throws UnsupportedOperationError) */
  canConstrain: boolean;
}

/** Options of `LanguageModel.generate`; temperature 0 (default) is greedy. */
export interface LanguageModelGenerateOptions extends SamplingOptions {
  /** most tokens to generate after the prompt */
  maxTokens: number;
  /** stop when the text contains one of these (cut before it) */
  stop?: readonly string[];
  /** abort between tokens; the generation then ends with stopReason 'aborted' */
  signal?: AbortSignal;
  /** per-step mask: ids allowed next (null = all), given the ids generated so far */
  allowedTokens?: (generated: readonly number[]) => Int32Array | null;
}

/** One streamed token; `id` is null when the runtime reports text only (web-llm). */
export interface LanguageModelToken {
  id: number | null;
  text: string;
}

/** The whole generation, returned when the stream ends. */
export interface LanguageModelGeneration {
  text: string;
  /** generated token ids, null when the runtime reports text only */
  tokenIds: number[] | null;
  tokenCount: number;
  stopReason: StopReason;
  /** prompt length in tokens (BOS included), null when unknown */
  promptTokens: number | null;
}

/** Loading progress (fraction in 0..1 when known). */
export interface LoadProgress {
  stage: string;
  message: string;
  fraction?: number;
}

/** Options every backend's load function takes. */
export interface LanguageModelLoadOptions {
  onProgress?: (progress: LoadProgress) => void;
}

/** A loaded language model. */
export interface LanguageModel {
  readonly info: LanguageModelInfo;
  /** Token ids of `text` (BOS first); UnsupportedOperationError when the runtime hides its tokenizer. */
  encode(text: string): Int32Array;
  /** Streams the continuation of `prompt`; the iterator's return value is the whole generation. */
  generate(
    prompt: string,
    options: LanguageModelGenerateOptions,
  ): AsyncGenerator<LanguageModelToken, LanguageModelGeneration, void>;
  /** Log-likelihood of each continuation after `prompt` (see src/llm/score.ts). */
  score(
    prompt: string,
    continuations: readonly Continuation[],
    signal?: AbortSignal,
  ): Promise<ContinuationScore[]>;
  /** Frees the model; using it afterwards throws. */
  dispose(): Promise<void>;
}

/** Runs the whole stream of `model.generate` and returns the generation. */
export async function generateAll(
  model: LanguageModel,
  prompt: string,
  options: LanguageModelGenerateOptions,
): Promise<LanguageModelGeneration> {
  const run = model.generate(prompt, options);
  for (;;) {
    const step = await run.next();
    if (step.done) return step.value;
  }
}
