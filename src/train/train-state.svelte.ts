/**
 * The Train section's state: train SASRec on the picked interactions CSV in the training worker
 * (progress per batch and epoch, Cancel), then "use this model": keep the bundle with its catalog in
 * the model store, load it in the page's SASRec worker and switch the catalog to the CSV's items.
 */
import { packCatalog } from '../data/catalog-binary.ts';
import { CancelledError } from '../protocol/errors.ts';
import { errorLine } from '../store/errors.ts';
import { BUNDLE_CATALOG } from '../store/import-bundle.ts';
import type { TrainMap, TrainProgress, TrainRunResult } from '../protocol/messages-train.ts';
import type { RpcClient } from '../protocol/rpc.ts';
import type { CatalogState } from '../state/catalog.svelte.ts';
import type { ModelsState } from '../state/model-store.svelte.ts';
import type { RecommenderState } from '../state/recommender.svelte.ts';

/** What the Train section shows. */
export type TrainStatus = 'idle' | 'training' | 'trained' | 'using' | 'in-use' | 'cancelled' | 'error';

/** Everything the Train section changes when a trained model is used. */
export interface TrainTargets {
  models: ModelsState;
  catalog: CatalogState;
  recommender: RecommenderState;
}

/** Reactive training state; the worker starts on the first Train. */
export class TrainState {
  status = $state<TrainStatus>('idle');
  /** the last progress line and figures */
  message = $state<string | undefined>();
  progress = $state.raw<TrainProgress | undefined>();
  result = $state.raw<TrainRunResult | undefined>();
  error = $state<string | undefined>();
  readonly #connect: () => RpcClient<TrainMap>;
  #client: RpcClient<TrainMap> | undefined;
  #controller: AbortController | undefined;

  /** `connect` starts the training worker (src/train/train-client.ts in the page). */
  constructor(connect: () => RpcClient<TrainMap>) {
    this.#connect = connect;
  }

  /** Train on `csv` (the picked file); a running training is cancelled first. */
  async train(csv: { name: string; bytes: ArrayBuffer }): Promise<void> {
    this.#controller?.abort();
    const controller = new AbortController();
    this.#controller = controller;
    this.#client ??= this.#connect();
    this.status = 'training';
    this.error = undefined;
    this.result = undefined;
    this.progress = undefined;
    this.message = `Reading ${csv.name}`;
    try {
      this.result = await this.#client.request(
        'train.run',
        { csv: csv.bytes.slice(0), name: csv.name },
        {
          signal: controller.signal,
          onProgress: (p) => {
            this.message = p.message ?? p.stage;
            if (p.train) this.progress = { ...this.progress, ...p.train };
          },
        },
      );
      this.status = 'trained';
    } catch (error) {
      if (controller.signal.aborted && error instanceof CancelledError) {
        this.status = 'cancelled';
      } else {
        this.status = 'error';
        this.error = errorLine(error);
      }
    } finally {
      if (this.#controller === controller) this.#controller = undefined;
    }
  }

  /** Stop the running training (the page keeps the model it has). */
  cancel(): void {
    this.#controller?.abort();
  }

  /** Keep the trained model, load it in the page's worker and show the CSV's items as the catalog. */
  async use(targets: TrainTargets): Promise<void> {
    const result = this.result;
    if (!result) return;
    this.status = 'using';
    // a plain, local hand-over to the store (not reactive state)
    // eslint-disable-next-line svelte/prefer-svelte-reactivity
    const files = new Map(Object.entries(result.files));
    const manifest = JSON.parse(new TextDecoder().decode(result.files['manifest.json'])) as { id: string };
    const items = result.items.map((item, i) => ({ id: i + 1, genres: [], tags: [], ...item })); // [N]
    const popularity = Int32Array.from(result.popularity); // [N + 1]
    // the catalog is kept with the model, so the next visit shows the same items (ModelsState.start)
    const packed = packCatalog({ name: manifest.id, items, popularity });
    files.set(BUNDLE_CATALOG, packed.slice().buffer);
    const loaded = await targets.models.keepTrained(files, manifest.id);
    if (!loaded || targets.recommender.model?.modelId !== manifest.id) {
      this.status = 'error';
      this.error = targets.models.error ?? targets.recommender.error ?? 'The trained model did not load.';
      return;
    }
    await targets.catalog.load(async () => ({ items, popularity }), manifest.id);
    this.status = 'in-use';
  }
}
