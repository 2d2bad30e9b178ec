/**
 * The Models panel's state: what the model store holds and how much space the site uses, the
 * running download / import with its byte progress and a Cancel, and loading what the user picks,
 * drops or names by URL (src/store/load-picked.ts). A loaded SASRec bundle is handed to the page's
 * worker through `useSasrec` (it reads the bundle from the store). The bundle the user last used
 * (picked or trained in the page) is remembered in the IndexedDB settings (src/store/settings.ts)
 * and loaded again by `start` on the next visit; `backToDefault` forgets it.
 */
import { deviceBudget } from '../store/device-budget.ts';
import { DownloadCancelledError } from '../store/errors.ts';
import { describeLoaded, loadPicked } from '../store/load-picked.ts';
import type { ModelStore, StorageEstimateInfo } from '../store/model-store.ts';
import { pickedFromFile, type PickedFile } from '../store/picked-file.ts';
import { prefetchModel } from '../store/prefetch.ts';
import { downloadPicked, groupByModel } from '../store/url-load.ts';
import { importSasrecBundle, type ImportedBundle } from '../store/import-bundle.ts';
import { readBundleCatalog } from '../store/bundle-catalog.ts';
import { localModelPath } from '../store/model-urls.ts';
import type { ModelChoice, SettingsStore } from '../store/settings.ts';
import type { LoadedCatalog } from './catalog.svelte.ts';
import type { StartupPlan } from './startup.ts';

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

/** What the Models panel drives outside itself. */
export interface ModelsDeps {
  /** opens the browser's model store */
  openStore: () => Promise<ModelStore>;
  /** loads a model directory (relative to the page) in the worker; rejects when it did not load; the signal is Cancel */
  useSasrec: (relativeUrl: string, signal: AbortSignal) => Promise<void>;
  /** shows a catalog: a stored bundle's own, or the one at a URL (the default model's data set) */
  useCatalog: (source: LoadedCatalog | string) => Promise<void>;
  /** opens the page's settings (where the chosen model is remembered) */
  openSettings: () => Promise<SettingsStore>;
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
  /** the user's own model in use instead of the default (remembered for the next visit) */
  chosen = $state.raw<ModelChoice | undefined>();
  readonly #store: Promise<ModelStore | undefined>;
  readonly #settings: Promise<SettingsStore | undefined>;
  readonly #deps: ModelsDeps;
  #default: StartupPlan | undefined;
  #controller: AbortController | undefined;

  /** Opens the store and the settings at once; see `ModelsDeps`. */
  constructor(deps: ModelsDeps) {
    this.#deps = deps;
    this.#store = deps.openStore().then(
      (store) => ((this.kind = store.kind), store),
      (error: unknown) => {
        this.error = errorLine(error);
        return undefined;
      },
    );
    this.#settings = deps.openSettings().catch((error: unknown) => {
      console.warn(error);
      return undefined;
    });
  }

  /**
   * First load of the page: the model the user chose on an earlier visit (and its catalog), else
   * — or when that model is gone or damaged, with a notice — the default model of `plan`.
   */
  async start(plan: StartupPlan): Promise<void> {
    this.#default = plan;
    const choice = await (await this.#settings)?.loadChoice().catch(() => undefined);
    const failure = choice && (await this.#useChosen(choice, plan));
    if (choice && failure === undefined) return;
    await this.#useDefault(plan);
    // after the default's own download (which clears the panel's error line)
    if (failure) this.error = this.error ? `${failure} ${this.error}` : failure;
  }

  /** Forget the chosen model and load the default one again (the chosen bundle stays stored). */
  async backToDefault(): Promise<void> {
    const plan = this.#default;
    if (!plan) return;
    await this.#forget();
    await this.#useDefault(plan);
    this.notice = `using the default model ${plan.modelId} again`;
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
    await this.#run(`Loading ${name} in the worker`, (signal) => this.#deps.useSasrec(dir, signal), false);
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
    await this.#forget();
    this.notice = 'deleted every downloaded model';
    await this.refresh();
  }

  async #use(files: PickedFile[], signal: AbortSignal): Promise<void> {
    const store = await this.#store;
    if (!store) throw new Error('This browser keeps no model files here; see the message above.');
    const budget = () => deviceBudget('gpu' in navigator ? navigator.gpu : undefined, deviceMemory());
    const pick = await loadPicked(store, files, budget);
    this.notice = describeLoaded(pick);
    if (pick.kind === 'sasrec-bundle') await this.#useBundle(pick.bundle, signal);
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
      loaded = await this.#useBundle(bundle, signal);
    });
    return loaded;
  }

  /** Load a stored bundle in the worker and remember it for the next visit; true when it is in use. */
  async #useBundle(bundle: ImportedBundle, signal: AbortSignal): Promise<boolean> {
    await this.#deps.useSasrec(bundle.path, signal);
    if (signal.aborted) return false;
    this.chosen = { model: bundle.model, name: bundle.name, catalog: bundle.hasCatalog };
    const settings = await this.#settings;
    await settings?.saveChoice(this.chosen).catch((error: unknown) => {
      this.notice = `${this.notice ?? ''} (not remembered for the next visit: ${errorLine(error)})`;
    });
    return true;
  }

  /**
   * Load the remembered bundle (and its catalog, read and checked first); undefined when it is in
   * use, else the notice saying why not (the choice is then forgotten).
   */
  async #useChosen(choice: ModelChoice, plan: StartupPlan): Promise<string | undefined> {
    let loaded = false;
    await this.#run(`Loading your model ${choice.name} (kept in this browser)`, async (signal) => {
      const store = await this.#store;
      if (!store) throw new Error('This browser keeps no model files here; see the message above.');
      const catalog = choice.catalog ? await readBundleCatalog(store, choice.model) : undefined;
      await this.#deps.useSasrec(localModelPath(choice.model), signal);
      if (signal.aborted) return;
      await this.#deps.useCatalog(catalog ?? plan.catalogUrl);
      this.chosen = choice;
      loaded = true;
    });
    if (loaded) {
      this.notice = `using your model ${choice.name} (kept in this browser)`;
      return undefined;
    }
    await this.#forget();
    return `Your model ${choice.name} could not be loaded from this browser's store (${this.error ?? 'cancelled'}); LocalRec uses the default model ${plan.modelId} instead.`;
  }

  /** The default model of `plan` and its catalog; the model is downloaded into the store first. */
  async #useDefault(plan: StartupPlan): Promise<void> {
    await Promise.all([
      this.#deps.useCatalog(plan.catalogUrl),
      this.prefetch(plan.modelId, plan.modelUrl).then(() => this.loadInWorker(plan.modelUrl, plan.modelId)),
    ]);
  }

  async #forget(): Promise<void> {
    this.chosen = undefined;
    await (await this.#settings)?.clearChoice().catch((error: unknown) => console.warn(error));
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
