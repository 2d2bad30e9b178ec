/**
 * The worker protocol: the envelopes that carry requests over `postMessage`, and what every worker
 * shares (backends, progress). Each worker has ONE typed map from request kind to
 * `{params, result}`, next to its params and results: `RequestMap` (messages-sasrec.ts),
 * `LlmRequestMap` (messages-llm.ts), `TrainMap` (messages-train.ts).
 *
 * page → worker: `RequestEnvelope` `{id, kind, payload}`.
 * worker → page: `ResponseEnvelope` with `type` 'result' | 'error' | 'progress' and the same `id`.
 * A newer request of the same kind supersedes a pending one: the stale promise rejects with
 * `CancelledError` (see `rpc.ts`).
 */
import type { SerializedError } from './errors.ts';
import type { TrainProgress } from './messages-train.ts';

/** Compute backend a SASRec session runs on. */
export type Backend = 'cpu' | 'webgpu';

/** Backend choice for `sasrec.load`: 'auto' tries WebGPU and falls back to CPU. */
export type BackendPreference = 'auto' | Backend;

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
export interface RequestEnvelope<M extends AnyRequestMap = AnyRequestMap, K extends KindOf<M> = KindOf<M>> {
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
