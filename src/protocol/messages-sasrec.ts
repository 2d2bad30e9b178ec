/**
 * The SASRec worker's messages (workers/sasrec.worker.ts, src/protocol/sasrec-handler.ts): params
 * and result of each `sasrec.*` request and their map `RequestMap`. Envelopes: messages.ts.
 */
import type { Backend, BackendPreference } from './messages.ts';

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

/** The SASRec worker's map request kind → {params, result}. Add a kind here and in the worker's handler map. */
export type RequestMap = {
  'sasrec.load': { params: SasrecLoadParams; result: SasrecLoadResult };
  'sasrec.rank': { params: SasrecRankParams; result: SasrecRankResult };
  'sasrec.attribution': { params: SasrecAttributionParams; result: SasrecAttributionResult };
  'sasrec.stats': { params: Record<string, never>; result: SasrecStatsResult };
  'sasrec.loseDevice': { params: Record<string, never>; result: SasrecLoseDeviceResult };
  'sasrec.explain': { params: SasrecExplainParams; result: SasrecExplainResult };
};
