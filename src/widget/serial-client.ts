/**
 * One SASRec worker shared by every `<local-rec>` on a page. The worker holds one model and its
 * rpc cancels an older request of the same kind, so widgets must not talk to it concurrently:
 * this client runs their requests one at a time (FIFO), and before a widget's rank/attribution
 * it makes sure the worker holds THAT widget's model (reloading only when another widget switched
 * it). Loads of a model the worker already holds are answered from memory.
 * Within one widget, a request still queued when the widget sends a newer one of the same kind is
 * dropped with CancelledError (RecommenderState ignores those quietly).
 */
import { CancelledError } from '../protocol/errors.ts';
import type { KindOf } from '../protocol/messages.ts';
import type { RequestMap, SasrecLoadParams, SasrecLoadResult } from '../protocol/messages-sasrec.ts';
import type { RequestOptions } from '../protocol/rpc.ts';
import type { SasrecRequester } from '../state/recommender.svelte.ts';

type Kind = KindOf<RequestMap>;

/** Identity of a model load (same URL + backend preference = same model in the worker). */
function loadKey(params: SasrecLoadParams): string {
  return `${params.backend ?? 'auto'} ${params.modelUrl}`;
}

/** The page-wide queue in front of one worker; hand each widget its own `requester()`. */
export class SerialSasrecClient {
  readonly #inner: SasrecRequester;
  #tail: Promise<unknown> = Promise.resolve();
  /** load key of the model the worker holds now */
  #loadedKey: string | undefined;
  /** results of successful loads, by load key */
  readonly #results = new Map<string, SasrecLoadResult>();
  /** how many real `sasrec.load` requests reached the worker (for tests and diagnostics) */
  workerLoads = 0;

  /** `inner` = the rpc client of the one worker. */
  constructor(inner: SasrecRequester) {
    this.#inner = inner;
  }

  /** A requester for one widget (RecommenderState takes it like an rpc client). */
  requester(): SasrecRequester {
    let model: SasrecLoadParams | undefined;
    let sequence = 0;
    const latest = new Map<Kind, number>(); // kind → newest request number of this widget
    const request = <K extends Kind>(
      kind: K,
      params: RequestMap[K]['params'],
      options: RequestOptions = {},
    ): Promise<RequestMap[K]['result']> => {
      const mine = ++sequence;
      latest.set(kind, mine);
      if (kind === 'sasrec.load') model = params as SasrecLoadParams;
      const wanted = model;
      return this.#enqueue(async () => {
        if (latest.get(kind) !== mine)
          throw new CancelledError(`"${kind}" superseded by a newer request of the same widget.`);
        if (!wanted) return this.#inner.request(kind, params, options); // the worker says what is missing
        const loaded = await this.#ensureLoaded(wanted, options);
        if (kind === 'sasrec.load') return loaded as RequestMap[K]['result'];
        return this.#inner.request(kind, params, options);
      });
    };
    return { request };
  }

  #enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#tail.then(task, task);
    this.#tail = run.catch(() => undefined);
    return run;
  }

  async #ensureLoaded(params: SasrecLoadParams, options: RequestOptions): Promise<SasrecLoadResult> {
    const key = loadKey(params);
    const known = this.#results.get(key);
    if (known && this.#loadedKey === key) return known;
    this.#loadedKey = undefined;
    this.workerLoads++;
    const result = await this.#inner.request('sasrec.load', params, options);
    this.#loadedKey = key;
    this.#results.set(key, result);
    return result;
  }
}
