/**
 * The LLM worker's messages (workers/llm.worker.ts, src/protocol/llm-handler.ts): params and result
 * of each `llm.*` request and their map `LlmRequestMap`. Envelopes: messages.ts.
 */
import type { Backend, BackendPreference } from './messages.ts';

/** Params of `llm.load`: a GGUF or llama2.c model file on the page's origin, or a GGUF kept in the model store. */
export interface LlmLoadParams {
  /** model file URL, relative to the page or absolute same-origin (e.g. './models/stories260K.gguf'); give this or `storedModel` */
  modelUrl?: string;
  /** a GGUF the user picked and the model store keeps (`gguf-<16 hex of its sha256>`, src/store/stored-gguf.ts) */
  storedModel?: string;
  /** llama2.c tokenizer file (e.g. tok512.bin) for .bin checkpoints without a vocabulary */
  tokenizerUrl?: string;
  /** 'auto' (default): loaded on WebGPU and the CPU, the faster one that agrees with the CPU is kept */
  backend?: BackendPreference;
  /** KV-cache positions (default: the model's context length, at most 2048) */
  contextLength?: number;
}

/** Result of `llm.load`. */
export interface LlmLoadResult {
  /** what was read, e.g. "GGUF v3 (llama, F32)" */
  modelId: string;
  backend: Backend;
  /** why the worker is not on WebGPU when 'auto' was asked */
  fallbackReason?: string;
  /** 'auto' with WebGPU available: both backends' decode speed and the choice, one line */
  calibration?: string;
  vocabSize: number;
  contextLength: number;
  inWorker: boolean;
  /** with `storedModel`: the kept file's name and what its header says */
  kept?: { name: string; arch: string; params: number; quant: string; layers: number };
  /** wall time of fetching + parsing + uploading, milliseconds */
  ms: number;
}

/** Params of `llm.generate` (tokens stream as progress events with stage 'token'). */
export interface LlmGenerateParams {
  prompt: string;
  maxTokens: number;
  /** 0 (default) = greedy */
  temperature?: number;
  topP?: number;
  seed?: number;
  stop?: string[];
  /** when given, every generated token is one of these ids */
  allowedTokenIds?: number[];
}

/** Result of `llm.generate`. */
export interface LlmGenerateResult {
  text: string;
  tokenIds: number[];
  stopReason: 'eos' | 'max-tokens' | 'stop' | 'aborted' | 'context-full';
  promptTokens: number;
  backend: Backend;
  /** request start → first token, milliseconds (null when nothing was generated) */
  firstTokenMs: number | null;
  /** whole request, milliseconds */
  ms: number;
}

/** Params of `llm.score`. */
export interface LlmScoreParams {
  prompt: string;
  /** each scored as a following word (see src/llm/score.ts) */
  continuations: string[];
}

/** Result of `llm.score`: one entry per continuation, in order. */
export interface LlmScoreResult {
  scores: { logProb: number; meanLogProb: number; tokenCount: number }[]; // [continuations]
  backend: Backend;
  ms: number;
}

/** Result of `llm.unload`: the model `llm.load` placed is disposed (e.g. "Delete everything"). */
export interface LlmUnloadResult {
  /** what was unloaded, e.g. "GGUF v3 (llama, F32)"; null when no model was loaded */
  unloaded: string | null;
}

/** The LLM worker's map request kind → {params, result} (workers/llm.worker.ts). */
export type LlmRequestMap = {
  'llm.load': { params: LlmLoadParams; result: LlmLoadResult };
  'llm.unload': { params: Record<string, never>; result: LlmUnloadResult };
  'llm.generate': { params: LlmGenerateParams; result: LlmGenerateResult };
  'llm.score': { params: LlmScoreParams; result: LlmScoreResult };
};
