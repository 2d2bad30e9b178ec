/**
 * The worker protocol: ONE typed map from request kind to `{params, result}`, and the envelopes
 * that carry them over `postMessage`.
 *
 * page → worker: `RequestEnvelope` `{id, kind, payload}`.
 * worker → page: `ResponseEnvelope` with `type` 'result' | 'error' | 'progress' and the same `id`.
 * A newer request of the same kind supersedes a pending one: the stale promise rejects with
 * `CancelledError` (see `rpc.ts`).
 */
import type { SerializedError } from './errors.ts';

/** Compute backend a SASRec session runs on. */
export type Backend = 'cpu' | 'webgpu';

/** Backend choice for `sasrec.load`: 'auto' tries WebGPU and falls back to CPU. */
export type BackendPreference = 'auto' | Backend;

/** Params of `sasrec.load`. */
export interface SasrecLoadParams {
  /** Directory URL of the model, relative to the page or absolute same-origin (e.g. './models/x/'). */
  modelUrl: string;
  /** 'auto' (default): the faster of WebGPU and the CPU on this device (short calibration). */
  backend?: BackendPreference;
}

/** Result of `sasrec.load`. */
export interface SasrecLoadResult {
  modelId: string;
  /** number of real items N (ids 1..N; 0 is padding) */
  itemCount: number;
  maxLen: number;
  backend: Backend;
  /** why the worker is not on WebGPU when 'auto' was asked (absent when on WebGPU) */
  fallbackReason?: string;
  /** 'auto' only: the measured figures that decided between WebGPU and the CPU */
  calibration?: string;
  /** item keys of ids 1..N (`items.json`), index i ↔ id i+1 */
  itemKeys: string[]; // [N]
  /** true when the handler runs inside a Web Worker (it always should on the page) */
  inWorker: boolean;
  /** wall time of fetching + uploading the model, milliseconds */
  ms: number;
}

/** Params of `sasrec.rank`. */
export interface SasrecRankParams {
  /** dense item ids 1..N, oldest first */
  history: number[];
  /** how many items to return (best first) */
  k: number;
  /** leave items of the history out of the list (default true) */
  excludeHistory?: boolean;
}

/** Result of `sasrec.rank`. */
export interface SasrecRankResult {
  ids: number[]; // [k]
  scores: number[]; // [k]
  backend: Backend;
  /** wall time of the forward pass + scoring + top-k inside the worker, milliseconds */
  ms: number;
  /** true when only the newly appended positions were computed (KV cache reused) */
  incremental: boolean;
}

/** Params of `sasrec.attribution`. */
export interface SasrecAttributionParams {
  /** the same history as the rank request, oldest first */
  history: number[];
  /** recommended item ids to explain */
  items: number[];
  /** how many history items to name per recommended item */
  top: number;
}

/** One "because you watched …" entry: a history item and its attention-based weight. */
export interface AttributionEntry {
  /** dense id of the history item */
  itemId: number;
  /** index in the history (0 = oldest) */
  index: number;
  /** share of the explanation, ≥ 0; the entries of one item sum to ≤ 1 */
  weight: number;
}

/** Result of `sasrec.attribution`. */
export interface SasrecAttributionResult {
  /** per asked item, in the order of `items`: its top history items, strongest first */
  because: AttributionEntry[][]; // [items.length][≤ top]
  backend: Backend;
  ms: number;
}

/** Params of `sasrec.explain`: the facts behind recommended items (attention + occlusion). */
export interface SasrecExplainParams {
  /** the same history as the rank request, oldest first */
  history: number[];
  /** recommended item ids to explain */
  items: number[];
  /** attention entries per item (as `sasrec.attribution`) */
  top: number;
  /** occlude at most this many window positions, the most attended ones (default 50) */
  maxOcclusion?: number;
}

/** One occluded history item and the score drop it causes for one recommended item. */
export interface OcclusionEntry {
  /** dense id of the removed history item */
  itemId: number;
  /** its index in the history (0 = oldest) */
  index: number;
  /** score with it − score without it (positive: it pushed the item up) */
  drop: number;
}

/** Model-side facts of one recommended item. */
export interface ItemModelFacts {
  /** attention-based attribution, strongest first */
  attention: AttributionEntry[]; // [≤ top]
  /** occlusion of each considered history item, largest drop first */
  occlusion: OcclusionEntry[]; // [considered]
  /** SASRec score with the full history */
  baseScore: number;
}

/** Result of `sasrec.explain`. */
export interface SasrecExplainResult {
  /** per asked item, in the order of `items` */
  items: ItemModelFacts[]; // [items.length]
  /** history positions occluded (< windowLength when limited to the most attended ones) */
  occlusionConsidered: number;
  /** positions in the model's window */
  windowLength: number;
  backend: Backend;
  ms: number;
}

/** Where the warm-up of a re-created WebGPU device is (src/protocol/device-warm-up.ts). */
export interface WarmUpState {
  /** pipelines the lost device had compiled */
  pipelines: number;
  /** false while compiling; true once finished or cancelled */
  done: boolean;
  /** pipelines compiled by the warm-up (those a request compiled first are not counted) */
  compiled: number;
}

/** Result of `sasrec.stats`: resource counts of the worker (soak tests, memory reports). */
export interface SasrecStatsResult {
  backend: Backend;
  /** GPU buffers created and not destroyed (null on the CPU) */
  liveGpuBuffers: number | null;
  /** bytes of those buffers (null on the CPU) */
  liveGpuBytes: number | null;
  /** the background compile on a device re-created after a loss (null when none happened) */
  warmUp?: WarmUpState | null;
}

/**
 * Result of `sasrec.loseDevice` (diagnostics and tests): the loaded model's WebGPU device was destroyed,
 * as a driver reset would lose it; the next request re-creates it. `destroyed` is false on the CPU.
 */
export interface SasrecLoseDeviceResult {
  backend: Backend;
  destroyed: boolean;
}

/** The one map request kind → {params, result}. Add a kind here and in the worker's handler map. */
export type RequestMap = {
  'sasrec.load': { params: SasrecLoadParams; result: SasrecLoadResult };
  'sasrec.rank': { params: SasrecRankParams; result: SasrecRankResult };
  'sasrec.attribution': { params: SasrecAttributionParams; result: SasrecAttributionResult };
  'sasrec.stats': { params: Record<string, never>; result: SasrecStatsResult };
  'sasrec.loseDevice': { params: Record<string, never>; result: SasrecLoseDeviceResult };
  'sasrec.explain': { params: SasrecExplainParams; result: SasrecExplainResult };
};

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

/** The LLM worker's map request kind → {params, result} (workers/llm.worker.ts). */
export type LlmRequestMap = {
  'llm.load': { params: LlmLoadParams; result: LlmLoadResult };
  'llm.generate': { params: LlmGenerateParams; result: LlmGenerateResult };
  'llm.score': { params: LlmScoreParams; result: LlmScoreResult };
};

/** Params of `train.run`: an interactions CSV (src/data/formats/generic-csv.ts) to train SASRec on. */
export interface TrainRunParams {
  /** the CSV's bytes (transferred) */
  csv: ArrayBuffer;
  /** file name, used in error messages and as the model's data set name */
  name: string;
  /** upper bound on epochs (default: the plan's, 200 with early stopping) */
  epochs?: number;
}

/** Result of `train.run`: a SASRec bundle for the model store plus the catalog to show with it. */
export interface TrainRunResult {
  /** manifest.json, weights.safetensors, items.json */
  files: Record<string, ArrayBuffer>;
  /** per dense id 1..N (index i ↔ id i+1): key, title (the key when the CSV has no title), year */
  items: { key: string; title: string; year?: number }[]; // [N]
  /** training interactions per dense id; [N + 1] */
  popularity: number[];
  users: number;
  interactions: number;
  bestEpoch: number;
  epochs: number;
  validNdcg10: number;
  popularityNdcg10: number;
  /** target positions trained per second over the whole run */
  positionsPerSecond: number;
  ms: number;
}

/** Figures of a `train.run` progress report ('plan', 'batch' or 'epoch' stage). */
export interface TrainProgress {
  epoch: number;
  epochs: number;
  batch?: number;
  batches?: number;
  loss?: number;
  validNdcg10?: number;
  bestEpoch?: number;
  popularityNdcg10?: number;
}

/** The training worker's map (workers/train.worker.ts). */
export type TrainMap = {
  'train.run': { params: TrainRunParams; result: TrainRunResult };
};

/** Shape every request map must have (used by the generic rpc helpers). */
export type AnyRequestMap = { [K in string]: { params: unknown; result: unknown } };

/** A request kind of map `M`. */
export type KindOf<M extends AnyRequestMap> = keyof M & string;

/** A progress report from a long-running request (loading files, compiling shaders, …). */
export interface Progress {
  /** short machine-readable stage, e.g. 'fetch', 'upload', 'compile' */
  stage: string;
  /** human-readable line for the status bar */
  message?: string;
  done?: number;
  total?: number;
  /** `llm.generate`: the token just generated (id null when the runtime reports text only) */
  token?: { id: number | null; text: string };
  /** `train.run`: epoch, loss, validation NDCG@10 */
  train?: TrainProgress;
}

/** page → worker. */
export interface RequestEnvelope<M extends AnyRequestMap = RequestMap, K extends KindOf<M> = KindOf<M>> {
  id: number;
  kind: K;
  payload: M[K]['params'];
}

/** worker → page: the request finished. */
export interface ResultEnvelope<R = unknown> {
  id: number;
  type: 'result';
  result: R;
}

/** worker → page: the request failed (error rebuilt on the page with `reviveError`). */
export interface ErrorEnvelope {
  id: number;
  type: 'error';
  error: SerializedError;
}

/** worker → page: the request is still running. */
export interface ProgressEnvelope {
  id: number;
  type: 'progress';
  progress: Progress;
}

/** Any worker → page message. */
export type ResponseEnvelope = ResultEnvelope | ErrorEnvelope | ProgressEnvelope;

/** True if `value` looks like a `RequestEnvelope` (id number, kind string). */
export function isRequestEnvelope(value: unknown): value is RequestEnvelope<AnyRequestMap> {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.id === 'number' && typeof v.kind === 'string' && 'payload' in v;
}

/** True if `value` looks like a `ResponseEnvelope`. */
export function isResponseEnvelope(value: unknown): value is ResponseEnvelope {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.id === 'number' && (v.type === 'result' || v.type === 'error' || v.type === 'progress');
}
