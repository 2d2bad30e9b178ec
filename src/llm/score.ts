/**
 * Log-likelihoods of candidate continuations of one prompt (used to re-rank: "which of these
 * items does the model find most likely after this profile?").
 *
 * The prompt is prefilled once; its KV cache then stays in place while each continuation is run
 * as its own prefill against it (the cache is rewound to the prompt's end between continuations,
 * so continuation rows overwrite each other and never see one another). Token j of a continuation
 * is scored by log-softmax of the logits that precede it: the prompt's last row for j = 0, the
 * continuation's own row j − 1 after that. Log-softmax runs on the host in f64.
 */
import type { Tensor } from '../gpu/ops.ts';
import type { LlamaForward } from './forward.ts';
import { Tokenizer, type TextTokenizer } from './tokenizer.ts';

/** Bad `score` input (empty continuation, too long for the context, bad token ids). */
export class ScoreError extends Error {
  override readonly name = 'ScoreError';
}

/** A continuation: text (tokenized as a following word) or exact token ids. */
export type Continuation = string | ArrayLike<number>;

/** The log-likelihood of one continuation given the prompt. */
export interface ContinuationScore {
  /** Σ log p(token_j | prompt, tokens_<j), natural log */
  logProb: number;
  /** logProb / tokenCount (compares continuations of different lengths) */
  meanLogProb: number;
  tokenCount: number;
  /** the continuation's token ids [tokenCount] */
  tokens: number[];
  /** log p of each token [tokenCount] */
  tokenLogProbs: number[];
}

/**
 * Token ids of a continuation. Text is encoded without BOS; SentencePiece's dummy prefix makes it
 * start a new word, so "Lily" and " Lily" both score " Lily" (one leading space is dropped first).
 * Other tokenizers (byte-level BPE) encode the text as given: there the leading space is part of it.
 */
export function continuationTokens(tokenizer: TextTokenizer, continuation: Continuation): Int32Array {
  if (typeof continuation !== 'string') return Int32Array.from(continuation);
  const dummyPrefix = tokenizer instanceof Tokenizer && continuation.startsWith(' ');
  const text = dummyPrefix ? continuation.slice(1) : continuation;
  return text.length === 0 ? new Int32Array(0) : tokenizer.encode(text, { bos: false });
}

/** log softmax(row)[target] in f64; row [vocab]. */
export function logSoftmaxAt(row: Float32Array, target: number): number {
  let max = -Infinity;
  for (const v of row) if (v > max) max = v;
  let sum = 0;
  for (const v of row) sum += Math.exp(v - max);
  return row[target] - max - Math.log(sum);
}

function checkIds(ids: Int32Array, vocab: number, index: number): void {
  if (ids.length === 0) {
    throw new ScoreError(`continuation ${index} has no tokens; pass non-empty text or at least one token id`);
  }
  const bad = ids.findIndex((id) => !(id >= 0 && id < vocab));
  if (bad >= 0) {
    throw new ScoreError(
      `continuation ${index} token ${bad} = ${ids[bad]} is outside the vocabulary 0..${vocab - 1}`,
    );
  }
}

/** Builds the score of `ids` from its per-token log-probs. */
function summarize(ids: Int32Array, tokenLogProbs: number[]): ContinuationScore {
  const logProb = tokenLogProbs.reduce((a, b) => a + b, 0);
  return {
    logProb,
    meanLogProb: logProb / ids.length,
    tokenCount: ids.length,
    tokens: Array.from(ids),
    tokenLogProbs,
  };
}

/**
 * Scores each continuation after `prompt` (BOS is prepended to the prompt; an empty prompt is BOS
 * alone). Resets the model's cache first and leaves it holding the prompt.
 * @throws ScoreError for an empty continuation, a bad token id, or when the prompt plus the longest
 *   continuation does not fit the model's KV cache.
 */
export async function score<T extends Tensor>(
  model: LlamaForward<T>,
  tokenizer: TextTokenizer,
  prompt: string,
  continuations: readonly Continuation[],
  signal?: AbortSignal,
): Promise<ContinuationScore[]> {
  const vocab = model.config.vocabSize;
  const promptIds = tokenizer.encode(prompt); // [p]
  const all = continuations.map((c, i) => {
    const ids = continuationTokens(tokenizer, c); // [m]
    checkIds(ids, vocab, i);
    return ids;
  });
  const longest = Math.max(0, ...all.map((ids) => ids.length));
  if (promptIds.length + longest - 1 > model.cache.capacity) {
    throw new ScoreError(
      `the prompt (${promptIds.length} tokens) plus the longest continuation (${longest}) needs ` +
        `${promptIds.length + longest - 1} positions; the context holds ${model.cache.capacity}. Shorten them.`,
    );
  }
  if (all.length === 0) return [];
  model.reset();
  const ops = model.ops;
  const promptLogits = model.forward(promptIds); // [1, vocab]
  const lastPromptRow = await ops.read(promptLogits); // [vocab]
  ops.release(promptLogits);
  const out: ContinuationScore[] = [];
  for (const ids of all) {
    signal?.throwIfAborted();
    const tokenLogProbs = [logSoftmaxAt(lastPromptRow, ids[0])];
    if (ids.length > 1) {
      model.cache.length = promptIds.length; // rewind: the prompt's rows stay, earlier continuations are dropped
      const logits = model.forward(ids.subarray(0, ids.length - 1), true); // [m-1, vocab]
      const rows = await ops.read(logits); // [(m-1) · vocab]
      ops.release(logits);
      for (let j = 1; j < ids.length; j++) {
        tokenLogProbs.push(logSoftmaxAt(rows.subarray((j - 1) * vocab, j * vocab), ids[j]));
      }
    }
    out.push(summarize(ids, tokenLogProbs));
  }
  model.cache.length = promptIds.length;
  return out;
}
