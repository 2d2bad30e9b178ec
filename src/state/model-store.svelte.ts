/**
 * The Models panel's state: what the model store holds and how much space the site uses, the
 * running download / import with its byte progress and a Cancel, and loading what the user picks,
 * drops or names by URL (src/store/load-picked.ts). A loaded SASRec bundle is handed to the page's
 * worker through `useSasrec` (it reads the bundle from the store).
 */
import { deviceBudget } from '../store/device-budget.ts';
import { DownloadCancelledError } from '../store/errors.ts';
import { describeLoaded, loadPicked } from '../store/load-picked.ts';
import type { ModelStore, StorageEstimateInfo } from '../store/model-store.ts';
import { pickedFromFile, type PickedFile } from '../store/picked-file.ts';
import { prefetchModel } from '../store/prefetch.ts';
import { downloadPicked, groupByModel } from '../store/url-load.ts';
import { importSasrecBundle } from '../store/import-bundle.ts';

/** A long step on screen: a label, bytes when known, and whether Cancel can stop it. */
export interface TaskProgress {
  label: string;
  done?: number;
  total?: number;
}

/** One stored model and its files. */
export interface StoredModel {
  model: string;
  files: string[];
}

function errorLine(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** Reactive model-store state shared through context. */
export class ModelsState {
  /** 'cache' | 'indexeddb', or undefined until opened / when the browser keeps nothing */
  kind = $state<ModelStore['kind'] | undefined>();
  estimate = $state.raw<StorageEstimateInfo | undefined>();
  stored = $state.raw<StoredModel[]>([]);
  task = $state.raw<TaskProgress | undefined>();
  /** the last result line ("loaded: …") */
  notice = $state<string | undefined>();
  error = $state<string | undefined>();
  /** the last interactions CSV picked (the Train section trains on it) */
  pickedCsv = $state.raw<{ name: string; bytes: ArrayBuffer } | undefined>();
  readonly #store: Promise<ModelStore | undefined>;
  readonly #useSasrec: (relativeUrl: string, signal: AbortSignal) => Promise<void>;
  #controller: AbortController | undefined;

  /**
   * `openStore` opens the browser's store; `useSasrec` loads a model directory (relative to the
   * page) in the worker, cancelled by its signal (the Cancel button).
   */
  constructor(
    openStore: () => Promise<ModelStore>,
    useSasrec: (relativeUrl: string, signal: AbortSignal) => Promise<void>,
  ) {
    this.#useSasrec = useSasrec;
    this.#store = openStore().then(
      (store) => ((this.kind = store.kind), store),
      (error: unknown) => {
        this.error = errorLine(error);
        return undefined;
      },
    );
  }

  /** Re-read the file list and the storage estimate. */
  async refresh(): Promise<void> {
    const store = await this.#store;
    if (!store) return;
    this.stored = groupByModel(await store.list());
    this.estimate = await store.estimate();
  }

  /** Download a served model's missing files into the store (progress + Cancel); errors are shown, not thrown. */
  async prefetch(model: string, dirUrl: string): Promise<void> {
    const store = await this.#store;
    if (!store) return;
    await this.#run(`Downloading ${model}`, async (signal) => {
      const result = await prefetchModel(store, model, dirUrl, { signal, onProgress: (p) => this.#bytes(p) });
      if (result.downloaded.length > 0) this.notice = `downloaded ${model}: ${result.downloaded.join(', ')}`;
    });
  }

  /** Load a model directory (relative to the page) in the worker, with Cancel (the previous model stays). */
  async loadInWorker(dir: string, name: string): Promise<void> {
    // keeps a message of the download before it (e.g. StorageFullError: the worker then reads the network)
    await this.#run(`Loading ${name} in the worker`, (signal) => this.#useSasrec(dir, signal), false);
  }

  /** Check and keep picked or dropped files; a SASRec bundle is then loaded in the worker. */
  async loadFiles(files: readonly (Blob & { name: string })[]): Promise<void> {
    const label = `Checking ${files.map((f) => f.name).join(', ')}`;
    await this.#run(label, (signal) => this.#use(files.map(pickedFromFile), signal));
  }

  /**
   * Download from a URL the user typed (the only request LocalRec makes to another origin, and only
   * when the page's Content-Security-Policy allows that origin). A directory URL (ending in '/') or
   * a manifest.json URL is read as a SASRec bundle; anything else as one file.
   */
  async loadUrl(url: string): Promise<void> {
    await this.#run(`Downloading ${url}`, async (signal) => {
      const onProgress = (p: { done: number; total?: number }) => this.#bytes(p);
      const files = await downloadPicked(url, document.baseURI, { signal, onProgress });
      await this.#use(files, signal);
    });
  }

  /** Stop the running download or import. */
  cancel(): void {
    this.#controller?.abort();
  }

  /** Delete every model this browser keeps (the loaded model stays usable until the page reloads). */
  async deleteAll(): Promise<void> {
    const store = await this.#store;
    if (!store) return;
    for (const { model } of this.stored) await store.delete(model);
    this.notice = 'deleted every downloaded model';
    await this.refresh();
  }

  async #use(files: PickedFile[], signal: AbortSignal): Promise<void> {
    const store = await this.#store;
    if (!store) throw new Error('This browser keeps no model files here; see the message above.');
    const budget = () => deviceBudget('gpu' in navigator ? navigator.gpu : undefined, deviceMemory());
    const pick = await loadPicked(store, files, budget);
    this.notice = describeLoaded(pick);
    if (pick.kind === 'sasrec-bundle') await this.#useSasrec(pick.bundle.path, signal);
    if (pick.kind === 'csv') this.pickedCsv = { name: pick.name, bytes: await files[0].bytes() };
  }

  /**
   * Keep a bundle trained in the page (src/train) like picked files and load it in the worker;
   * resolves true when the worker now uses it (errors are shown in the panel).
   */
  async keepTrained(files: ReadonlyMap<string, ArrayBuffer>, name: string): Promise<boolean> {
    let loaded = false;
    await this.#run(`Keeping ${name}`, async (signal) => {
      const store = await this.#store;
      if (!store) throw new Error('This browser keeps no model files here; see the message above.');
      const bundle = await importSasrecBundle(store, files);
      this.notice = `kept: SASRec ${bundle.name}, ${bundle.itemCount} items (trained in this page)`;
      await this.#useSasrec(bundle.path, signal);
      loaded = !signal.aborted;
    });
    return loaded;
  }

  #bytes(p: { done: number; total?: number }): void {
    if (this.task)
      this.task = { ...this.task, done: p.done, ...(p.total === undefined ? {} : { total: p.total }) };
  }

  async #run(label: string, work: (signal: AbortSignal) => Promise<void>, clearError = true): Promise<void> {
    this.#controller?.abort();
    const controller = new AbortController();
    this.#controller = controller;
    this.task = { label };
    if (clearError) this.error = undefined;
    try {
      await work(controller.signal);
      if (controller.signal.aborted) this.error = 'Cancelled; the model loaded before stays in use.';
    } catch (error) {
      this.error =
        error instanceof DownloadCancelledError ? 'Cancelled; nothing was kept.' : errorLine(error);
    } finally {
      if (this.#controller === controller) {
        this.task = undefined;
        this.#controller = undefined;
      }
      await this.refresh();
    }
  }
}

/** navigator.deviceMemory (GiB) where the browser reports it. */
function deviceMemory(): number | undefined {
  const value = (navigator as Navigator & { deviceMemory?: unknown }).deviceMemory;
  return typeof value === 'number' ? value : undefined;
}
