/**
 * The rec-tuned LLM's requests, served by the LLM worker next to LlmRequestMap (workers/llm.worker.ts;
 * handlers in src/rec/pipeline-handler.ts): load a llama-rec model directory, re-rank SASRec's
 * candidates (src/rec/pipeline.ts), verbalise explanation facts (src/rec/explain-llm.ts) and pick
 * a chat command from a closed set (src/rec/chat/llm-parse.ts).
 */
import type { ExplanationFacts } from './explain-facts.ts';
import type { LlmExplanation } from './explain-llm.ts';

/** GGUF schemes a llama-rec directory lists in its manifest (`files`). */
export type RecScheme = 'f32' | 'q8_0' | 'q4_0';

/** Params of `rec.load`: the llama-rec model directory on the page's origin. */
export interface RecLoadParams {
  /** e.g. "models/ml-latest-small-llama-rec/manifest.json" */
  manifestUrl: string;
  /** default: the manifest's `default` scheme, else q8_0 */
  scheme?: RecScheme;
  /** the SASRec model id the page ranks with; refused when the LLM was tuned on another one */
  sasrecId: string;
}

/** Result of `rec.load`. */
export interface RecLoadResult {
  modelId: string;
  /** the SASRec model whose candidates it re-ranks (item ids are that model's) */
  sasrec: string;
  /** candidates re-ranked per request (SASRec top-C) */
  candidates: number;
  /** history items the prompt holds (the most recent; `rec.rerank` reads no more) */
  historyTokens: number;
  /** the GGUF file loaded and its size */
  file: string;
  bytes: number;
  /** where the GGUF came from: the model store (kept on an earlier visit) or the network */
  from: 'store' | 'network';
  backend: 'cpu';
  /** wall time of fetching + checking + building the model, ms */
  ms: number;
}

/** Params of `rec.rerank`: SASRec's top-C for one history (dense ids, oldest first). */
export interface RecRerankParams {
  history: number[];
  /** [C] candidate ids, SASRec order */
  candidates: number[];
  /** [C] SASRec scores of `candidates` */
  scores: number[];
}

/** Result of `rec.rerank`: the candidates best first by the fused score. */
export interface RecRerankResult {
  /** [C] */
  ids: number[];
  /** [C] fused scores, same order as ids */
  fused: number[];
  /** time of the re-rank step inside the worker, ms */
  ms: number;
}

/** Params of `rec.vocabulary`: what the explanation post-check looks for (explain-check.ts). */
export interface RecVocabularyParams {
  titles: string[];
  genres: string[];
}

/** Params of `rec.explain`: the facts of one recommended item. */
export interface RecExplainParams {
  facts: ExplanationFacts;
  seed: number;
}

/** Result of `rec.explain`: the explanation (LLM text or the template fallback) and its time. */
export interface RecExplainResult {
  explanation: LlmExplanation;
  /** generation time inside the worker, ms */
  ms: number;
}

/** Params of `rec.command`: a chat request the rules did not understand and the closed command set. */
export interface RecCommandParams {
  request: string;
  /** the allowed outputs (src/rec/chat/llm-parse.ts commandChoices), e.g. "more [Comedy]" */
  choices: string[];
}

/** Result of `rec.command`: the picked choice's index (null: none) and the model's raw output. */
export interface RecCommandResult {
  index: number | null;
  raw: string;
  ms: number;
}

/** The rec-tuned LLM's map request kind → {params, result}. */
export type RecLlmRequestMap = {
  'rec.load': { params: RecLoadParams; result: RecLoadResult };
  'rec.rerank': { params: RecRerankParams; result: RecRerankResult };
  'rec.vocabulary': { params: RecVocabularyParams; result: { titles: number } };
  'rec.explain': { params: RecExplainParams; result: RecExplainResult };
  'rec.command': { params: RecCommandParams; result: RecCommandResult };
};
