/**
 * Text generation on a `LlamaForward`: prefill the prompt, then decode one token at a time,
 * streaming each token with its text. Greedy decoding picks the token on the backend (a top-1, so
 * only one id is read back); sampling or an `allowedTokens` mask reads the logits row.
 */
import type { Tensor } from '../gpu/ops.ts';
import type { LlamaForward } from './forward.ts';
import { Sampler, type SamplingOptions } from './sampler.ts';
import { TokenTextStream, type TextTokenizer } from './tokenizer.ts';

/** Bad generation options. */
export class GenerateError extends Error {
  override readonly name = 'GenerateError';
}

/** Options of `generate`. */
export interface GenerateOptions extends SamplingOptions {
  /** most tokens to generate (after the prompt) */
  maxTokens: number;
  /** stop when the generated text contains one of these (the result's text is cut before it) */
  stop?: readonly string[];
  /** cancel between tokens */
  signal?: AbortSignal;
  /** per-step constraint: ids allowed next (null = all), given the tokens generated so far */
  allowedTokens?: (generated: readonly number[]) => Int32Array | null;
}

/** One streamed token. */
export interface GeneratedToken {
  id: number;
  /** text this token completes (may be empty inside a multi-byte character) */
  text: string;
}

/** Why generation ended. */
export type StopReason = 'eos' | 'max-tokens' | 'stop' | 'aborted' | 'context-full';

/** The whole generation. */
export interface GenerationResult {
  tokens: number[];
  text: string;
  stopReason: StopReason;
  promptTokens: number;
}

/** Sets every logit outside `allowed` to −∞ (in place). */
function maskLogits(logits: Float32Array, allowed: Int32Array): void {
  const keep = new Uint8Array(logits.length); // [vocab]
  for (const id of allowed) if (id >= 0 && id < logits.length) keep[id] = 1;
  for (let i = 0; i < logits.length; i++) if (!keep[i]) logits[i] = -Infinity;
}

/** Picks the next id from logits [1, vocab] with the sampler (and the mask, when given). */
async function pickToken<T extends Tensor>(
  model: LlamaForward<T>,
  logits: T,
  sampler: Sampler,
  allowed: Int32Array | null,
): Promise<number> {
  if (sampler.greedy && !allowed) return (await model.ops.topK(logits, 1, new Int32Array(0))).ids[0];
  if (sampler.portable && !allowed && model.ops.sampleToken)
    return model.ops.sampleToken(logits, sampler.nextDraw());
  const row = await model.ops.read(logits); // [vocab]
  if (allowed) maskLogits(row, allowed);
  return sampler.sample(row);
}

/** Index of the first stop string in `text`, or -1. */
function stopIndex(text: string, stop: readonly string[]): number {
  const hits = stop
    .filter((s) => s.length > 0)
    .map((s) => text.indexOf(s))
    .filter((i) => i >= 0);
  return hits.length ? Math.min(...hits) : -1;
}

/**
 * Generates a continuation of `prompt` (BOS is prepended; an empty prompt starts from BOS alone).
 * Yields each token; returns the whole result. Resets the model's cache first.
 */
export async function* generate<T extends Tensor>(
  model: LlamaForward<T>,
  tokenizer: TextTokenizer,
  prompt: string,
  options: GenerateOptions,
): AsyncGenerator<GeneratedToken, GenerationResult, void> {
  const { maxTokens, stop = [], signal, allowedTokens } = options;
  if (!Number.isInteger(maxTokens) || maxTokens < 0) {
    throw new GenerateError(`maxTokens = ${maxTokens}; use an integer ≥ 0`);
  }
  const sampler = new Sampler(options);
  const promptIds = tokenizer.encode(prompt); // [n]
  const stream = new TokenTextStream(tokenizer, promptIds[promptIds.length - 1]);
  const tokens: number[] = [];
  let text = '';
  let stopReason: StopReason = 'max-tokens';
  model.reset();
  let logits: T | null = maxTokens > 0 ? model.forward(promptIds) : null;
  try {
    while (logits && tokens.length < maxTokens) {
      if (signal?.aborted) {
        stopReason = 'aborted';
        break;
      }
      const id = await pickToken(model, logits, sampler, allowedTokens?.(tokens) ?? null);
      model.ops.release(logits);
      logits = null;
      if (id === tokenizer.eos || id === tokenizer.bos) {
        stopReason = 'eos';
        break;
      }
      tokens.push(id);
      const piece = stream.push(id);
      text += piece;
      yield { id, text: piece };
      const cut = stopIndex(text, stop);
      if (cut >= 0) {
        [text, stopReason] = [text.slice(0, cut), 'stop'];
        break;
      }
      if (tokens.length === maxTokens) break;
      if (model.position >= model.cache.capacity) {
        stopReason = 'context-full';
        break;
      }
      logits = model.forward(Int32Array.of(id));
    }
  } finally {
    if (logits) model.ops.release(logits);
  }
  if (stopReason !== 'stop') text += stream.flush();
  return { tokens, text, stopReason, promptTokens: promptIds.length };
}

/** Runs `generate` to the end and returns the result (no streaming). */
export async function generateText<T extends Tensor>(
  model: LlamaForward<T>,
  tokenizer: TextTokenizer,
  prompt: string,
  options: GenerateOptions,
): Promise<GenerationResult> {
  const run = generate(model, tokenizer, prompt, options);
  for (;;) {
    const step = await run.next();
    if (step.done) return step.value;
  }
}
