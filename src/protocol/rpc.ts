/**
 * Request/response over a message port (a Worker, a worker's `self`, or a MessagePort), typed by a
 * request map (`RequestMap` in messages-sasrec.ts).
 *
 * Cancellation rule, applied on both sides: a newer request of the same kind supersedes the pending
 * one. The client rejects the stale promise with `CancelledError` at once; the server aborts the
 * stale handler's `signal` (and skips it if it has not started), so a stale result is never used.
 * A request's own `signal` (RequestOptions) cancels it the same way (page Cancel buttons).
 */
import {
  CancelledError,
  InvalidRequestError,
  UnknownRequestError,
  reviveError,
  serializeError,
} from './errors.ts';
import {
  isRequestEnvelope,
  isResponseEnvelope,
  type AnyRequestMap,
  type KindOf,
  type Progress,
  type RequestEnvelope,
  type ResponseEnvelope,
} from './messages.ts';

/** The part of Worker / DedicatedWorkerGlobalScope / MessagePort that the rpc helpers use. */
export interface MessagePortLike {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  removeEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  /** MessagePort needs it to begin delivery when listening with addEventListener. */
  start?(): void;
}

/** Per-request options on the client. */
export interface RequestOptions {
  /** called for every progress report of this request */
  onProgress?: (progress: Progress) => void;
  /**
   * Cancel from the page (e.g. a Cancel button): the promise rejects with CancelledError at once and
   * the worker aborts the handler's `signal` (or skips it if it has not started).
   */
  signal?: AbortSignal;
}

/** page → worker: stop request `id` (sent when a request's `signal` fires). */
export interface CancelEnvelope {
  id: number;
  cancel: true;
}

function isCancelEnvelope(value: unknown): value is CancelEnvelope {
  return typeof value === 'object' && value !== null && (value as { cancel?: unknown }).cancel === true;
}

interface Pending {
  kind: string;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  onProgress?: (progress: Progress) => void;
}

/** Page side: sends typed requests, resolves them from responses, cancels stale ones. */
export class RpcClient<M extends AnyRequestMap> {
  readonly #port: MessagePortLike;
  readonly #pending = new Map<number, Pending>();
  /** kind → id of its newest pending request */
  readonly #latest = new Map<string, number>();
  #nextId = 1;
  #closed = false;

  constructor(port: MessagePortLike) {
    this.#port = port;
    this.#port.addEventListener('message', this.#onMessage);
    this.#port.start?.();
  }

  /** Send `kind` with `params`; rejects with `CancelledError` if a newer `kind` request is sent. */
  request<K extends KindOf<M>>(
    kind: K,
    params: M[K]['params'],
    options: RequestOptions = {},
  ): Promise<M[K]['result']> {
    if (this.#closed)
      return Promise.reject(new CancelledError(`rpc client is disposed; cannot send "${kind}".`));
    const id = this.#nextId++;
    const staleId = this.#latest.get(kind);
    if (staleId !== undefined)
      this.#settle(staleId, new CancelledError(`"${kind}" #${staleId} superseded by #${id}.`));
    this.#latest.set(kind, id);
    return new Promise<M[K]['result']>((resolve, reject) => {
      this.#pending.set(id, {
        kind,
        resolve: resolve as (v: unknown) => void,
        reject,
        onProgress: options.onProgress,
      });
      const envelope: RequestEnvelope<M, K> = { id, kind, payload: params };
      this.#port.postMessage(envelope);
      const { signal } = options;
      if (signal?.aborted) this.#cancel(id, kind);
      else signal?.addEventListener('abort', () => this.#cancel(id, kind), { once: true });
    });
  }

  /** Number of requests still waiting for an answer. */
  get pendingCount(): number {
    return this.#pending.size;
  }

  /** Reject every pending request with `error` (e.g. the worker crashed). */
  failAll(error: Error): void {
    for (const id of [...this.#pending.keys()]) this.#settle(id, error);
  }

  /** Stop listening and reject pending requests with `CancelledError`. */
  dispose(): void {
    if (this.#closed) return;
    this.failAll(new CancelledError('rpc client disposed.'));
    this.#port.removeEventListener('message', this.#onMessage);
    this.#closed = true;
  }

  #cancel(id: number, kind: string): void {
    if (!this.#pending.has(id)) return;
    this.#settle(id, new CancelledError(`"${kind}" #${id} was cancelled.`));
    const envelope: CancelEnvelope = { id, cancel: true };
    this.#port.postMessage(envelope);
  }

  #settle(id: number, outcome: Error | { value: unknown }): void {
    const pending = this.#pending.get(id);
    if (!pending) return;
    this.#pending.delete(id);
    if (this.#latest.get(pending.kind) === id) this.#latest.delete(pending.kind);
    if (outcome instanceof Error) pending.reject(outcome);
    else pending.resolve(outcome.value);
  }

  readonly #onMessage = (event: MessageEvent): void => {
    const message: unknown = event.data;
    if (!isResponseEnvelope(message)) return;
    const pending = this.#pending.get(message.id);
    if (!pending) return; // cancelled or unknown: drop
    if (message.type === 'progress') pending.onProgress?.(message.progress);
    else if (message.type === 'error') this.#settle(message.id, reviveError(message.error));
    else this.#settle(message.id, { value: message.result });
  };
}

/** What a handler gets besides its payload. */
export interface HandlerContext {
  /** aborted (reason: CancelledError) when a newer request of the same kind arrives */
  signal: AbortSignal;
  /** send a progress report to the page */
  progress(progress: Progress): void;
  /** throw the cancellation reason if the request was superseded; call between expensive steps */
  throwIfCancelled(): void;
}

/** A handler for one request kind. */
export type Handler<P, R> = (payload: P, context: HandlerContext) => R | Promise<R>;

/** One handler per kind of map `M`. */
export type Handlers<M extends AnyRequestMap> = { [K in KindOf<M>]: Handler<M[K]['params'], M[K]['result']> };

/** Server options. */
export interface ServeOptions {
  /** run one handler at a time in arrival order (default true: handlers share model state) */
  serial?: boolean;
}

/** Worker side: answer requests from `port` with `handlers`. Returns a function that stops serving. */
export function serve<M extends AnyRequestMap>(
  port: MessagePortLike,
  handlers: Handlers<M>,
  options: ServeOptions = {},
): () => void {
  const serial = options.serial ?? true;
  const running = new Map<string, { id: number; controller: AbortController }>();
  let queue: Promise<void> = Promise.resolve();
  const send = (message: ResponseEnvelope): void => port.postMessage(message);

  const run = async (request: RequestEnvelope<AnyRequestMap>, controller: AbortController): Promise<void> => {
    const { id, kind } = request;
    const signal = controller.signal;
    const context: HandlerContext = {
      signal,
      progress: (progress) => {
        if (!signal.aborted) send({ id, type: 'progress', progress });
      },
      throwIfCancelled: () => {
        if (signal.aborted) throw signal.reason;
      },
    };
    try {
      context.throwIfCancelled();
      const handler = handlers[kind as KindOf<M>] as Handler<unknown, unknown>;
      const result = await handler(request.payload, context);
      context.throwIfCancelled();
      send({ id, type: 'result', result });
    } catch (error) {
      send({ id, type: 'error', error: serializeError(error) });
    } finally {
      if (running.get(kind)?.id === id) running.delete(kind);
    }
  };

  const onMessage = (event: MessageEvent): void => {
    const message: unknown = event.data;
    if (isCancelEnvelope(message)) {
      for (const entry of running.values()) {
        if (entry.id === message.id)
          entry.controller.abort(new CancelledError(`request #${message.id} was cancelled.`));
      }
      return;
    }
    if (!isRequestEnvelope(message)) {
      const id = (message as { id?: unknown } | null)?.id;
      if (typeof id === 'number') {
        const error = new InvalidRequestError('Expected a request {id: number, kind: string, payload}.');
        send({ id, type: 'error', error: serializeError(error) });
      }
      return;
    }
    if (!Object.prototype.hasOwnProperty.call(handlers, message.kind)) {
      const known = Object.keys(handlers).join(', ');
      const error = new UnknownRequestError(`No handler for "${message.kind}"; known kinds: ${known}.`);
      send({ id: message.id, type: 'error', error: serializeError(error) });
      return;
    }
    running
      .get(message.kind)
      ?.controller.abort(new CancelledError(`"${message.kind}" superseded by request #${message.id}.`));
    const controller = new AbortController();
    running.set(message.kind, { id: message.id, controller });
    if (serial) queue = queue.then(() => run(message, controller));
    else void run(message, controller);
  };

  port.addEventListener('message', onMessage);
  port.start?.();
  return () => port.removeEventListener('message', onMessage);
}
