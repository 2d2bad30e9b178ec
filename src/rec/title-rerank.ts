/**
 * Re-ranking by prompting (PALR's "Recommend_Retrieval" task) for a language model that knows no
 * item tokens, e.g. a chat GGUF the user loaded: the prompt lists the user's recent titles and
 * SASRec's candidates by title, and the model's log-likelihood of each candidate title as the
 * answer (`LanguageModel.score`) is fused with SASRec's score exactly as the rec-tuned re-ranker
 * does (src/rec/pipeline.ts: z(SASRec) + w · log-softmax over the candidates).
 *
 * Small contexts (stories260K holds 512 tokens) may not fit every title: the prompt then keeps
 * fewer history titles, and at last leaves the candidate list out (each title is still scored).
 */
import type { LanguageModel } from '../llm/language-model.ts';
import { LocalRecError } from '../protocol/errors.ts';
import { plainWrap, type PromptWrap } from './explain-prompt-wrap.ts';
import { fuseScores, sortByFused } from './pipeline.ts';

/** The prompt cannot hold even the shortest variant plus the longest candidate title. */
export class RerankPromptTooLongError extends LocalRecError {
  override name = 'RerankPromptTooLongError';
}

/** Prompt variants tried in order: recent history titles kept, and whether candidates are listed. */
const VARIANTS: readonly { history: number; listed: boolean }[] = [
  { history: 10, listed: true },
  { history: 5, listed: true },
  { history: 5, listed: false },
  { history: 2, listed: false },
];

/** The answer's opening; each candidate is scored as the title that follows it. */
const ANSWER = 'Next movie:';

/** PALR retrieval prompt: recent titles (oldest first), optionally the candidates, then the answer's start. */
export function retrievalPrompt(
  history: readonly string[],
  candidates: readonly string[] | null,
  wrap: PromptWrap = plainWrap,
): string {
  const lines = [`A viewer watched these movies, oldest first: ${history.join('; ')}.`];
  if (candidates) lines.push(`Candidates: ${candidates.join('; ')}.`);
  lines.push(
    candidates
      ? 'Which candidate will they watch next? Answer with its title.'
      : 'Which movie will they watch next? Answer with its title.',
  );
  return wrap(lines.join('\n'), ANSWER);
}

/** The richest prompt variant that fits `contextLength` with the longest candidate title. */
export function fittingPrompt(
  model: Pick<LanguageModel, 'encode'>,
  contextLength: number,
  history: readonly string[],
  candidates: readonly string[],
  wrap: PromptWrap = plainWrap,
): { prompt: string; historyUsed: number; listed: boolean } {
  const longest = Math.max(...candidates.map((t) => model.encode(` ${t}`).length));
  for (const variant of VARIANTS) {
    const recent = history.slice(-variant.history);
    const prompt = retrievalPrompt(recent, variant.listed ? candidates : null, wrap);
    if (model.encode(prompt).length + longest <= contextLength) {
      return { prompt, historyUsed: recent.length, listed: variant.listed };
    }
  }
  throw new RerankPromptTooLongError(
    `even ${VARIANTS[VARIANTS.length - 1].history} history titles and one candidate title need more than the model's ` +
      `${contextLength} context positions; load a model with a longer context to re-rank by prompting.`,
  );
}

/** A re-ranking by title: candidate indices best first, with the scores behind it. */
export interface TitleReranked {
  /** [C] indices into the candidates, best first */
  order: number[];
  /** [C] log p(title | prompt), candidates' order */
  llm: number[];
  /** [C] fused scores, candidates' order */
  fused: number[];
  historyUsed: number;
  listed: boolean;
}

/**
 * Re-rank `candidates` (titles, SASRec order, with SASRec `scores` [C]) for `history` (titles, oldest
 * first) by the model's likelihood of each title as the next movie, fused with weight `weight`.
 */
export async function rerankByTitle(
  model: LanguageModel,
  history: readonly string[],
  candidates: readonly string[],
  scores: readonly number[],
  options: { weight?: number; wrap?: PromptWrap; signal?: AbortSignal } = {},
): Promise<TitleReranked> {
  const { weight = 1, wrap, signal } = options;
  const context = model.info.contextLength ?? 512;
  const { prompt, historyUsed, listed } = fittingPrompt(model, context, history, candidates, wrap);
  const scored = await model.score(
    prompt,
    candidates.map((t) => ` ${t}`),
    signal,
  );
  const llm = Float32Array.from(scored, (s) => s.logProb); // [C]
  const sasrec = Float32Array.from(scores); // [C]
  const fused = fuseScores(sasrec, llm, weight); // [C]
  const ids = Int32Array.from(candidates, (_, i) => i); // [C] candidate indices stand in for item ids
  const sorted = sortByFused({ ids, scores: sasrec }, llm, fused);
  return {
    order: Array.from(sorted.ids),
    llm: scored.map((s) => s.logProb), // f64, as the model answered
    fused: Array.from(fused),
    historyUsed,
    listed,
  };
}
