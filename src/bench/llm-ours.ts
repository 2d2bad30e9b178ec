/**
 * Times our runtime the way `generate` runs greedily: prefill the prompt and pick the first token
 * on the backend (top-1, one id read back) = time to first token; then one forward + top-1 per
 * decoded token.
 */
import type { Tensor } from '../gpu/ops.ts';
import type { LlamaForward } from '../llm/forward.ts';
import type { GenerationTiming } from './llm-report.ts';

const NONE = new Int32Array(0); // [0] nothing excluded from top-1

/** Greedy-picks the next token from logits [1, vocab] and frees them. */
async function pick<T extends Tensor>(model: LlamaForward<T>, logits: T): Promise<number> {
  const top = await model.ops.topK(logits, 1, NONE);
  model.ops.release(logits);
  return top.ids[0];
}

/** One timed generation of `decodeTokens` + 1 tokens after `promptIds` [p]; `now` in ms. */
export async function timeOurGeneration<T extends Tensor>(
  model: LlamaForward<T>,
  promptIds: Int32Array,
  decodeTokens: number,
  now: () => number,
): Promise<GenerationTiming> {
  model.reset();
  const started = now();
  let id = await pick(model, model.forward(promptIds));
  const firstToken = now();
  for (let i = 0; i < decodeTokens; i++) id = await pick(model, model.forward(Int32Array.of(id)));
  const ended = now();
  const ttftMs = firstToken - started;
  return {
    promptTokens: promptIds.length,
    ttftMs,
    prefillMs: ttftMs,
    decodeTokens,
    decodeMs: ended - firstToken,
  };
}
