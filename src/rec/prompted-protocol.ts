/**
 * Requests for a language model the user loaded (`llm.load` with a kept GGUF, a general chat model
 * with no item tokens), served by the LLM worker next to LlmRequestMap (handlers in
 * src/rec/prompted-handler.ts): the same re-rank / explanation / chat-command steps as the rec-tuned
 * model's RecLlmRequestMap, done by prompting — titles instead of item tokens, the model's chat
 * template around each instruction, and the same constraints and post-checks.
 */
import type {
  RecCommandParams,
  RecCommandResult,
  RecExplainParams,
  RecExplainResult,
  RecVocabularyParams,
} from './pipeline-protocol.ts';

/** History titles `llm.rerank` takes at most (the most recent; its prompt holds fewer). */
export const PROMPTED_HISTORY_TITLES = 1000;

/** Params of `llm.rerank`: SASRec's top-C for one history, by title. */
export interface PromptedRerankParams {
  /** the history's titles, oldest first (at most PROMPTED_HISTORY_TITLES) */
  history: string[];
  /** [C] candidate titles, SASRec order */
  candidates: string[];
  /** [C] SASRec scores of `candidates` */
  scores: number[];
}

/** Result of `llm.rerank`. */
export interface PromptedRerankResult {
  /** [C] indices into the candidates, best first by the fused score */
  order: number[];
  /** [C] log p(title | prompt) per candidate, candidates' order */
  llm: number[];
  /** history titles that fitted the prompt, and whether the candidates were listed in it */
  historyUsed: number;
  listed: boolean;
  /** time of the re-rank inside the worker, ms */
  ms: number;
}

/** The user-loaded model's map request kind → {params, result}. */
export type PromptedLlmRequestMap = {
  'llm.rerank': { params: PromptedRerankParams; result: PromptedRerankResult };
  'llm.vocabulary': { params: RecVocabularyParams; result: { titles: number } };
  'llm.explain': { params: RecExplainParams; result: RecExplainResult };
  'llm.command': { params: RecCommandParams; result: RecCommandResult };
};
