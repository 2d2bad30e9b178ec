/**
 * The Models panel's state: what the model store holds and how much space the site uses, the
 * running download / import with its byte progress and a Cancel, and loading what the user picks,
 * drops or names by URL (src/store/load-picked.ts). A loaded SASRec bundle is handed to the page's
 * worker through `useSasrec` (it reads the bundle from the store). The bundle the user last used
 * (picked or trained in the page) is remembered in the IndexedDB settings (src/store/settings.ts)
 * and loaded again by `start` on the next visit; `backToDefault` forgets it.
 */
import { browserDeviceBudget } from '../store/device-budget.ts';
import { DownloadCancelledError, errorLine } from '../store/errors.ts';
import { describeLoaded, loadPicked } from '../store/load-picked.ts';
import type { ModelStore, StorageEstimateInfo } from '../store/model-store.ts';
import { pickedFromFile, type PickedFile } from '../store/picked-file.ts';
import { prefetchModel } from '../store/prefetch.ts';
import { downloadPicked, groupByModel } from '../store/url-load.ts';
import { importSasrecBundle, type ImportedBundle } from '../store/import-bundle.ts';
import { readBundleCatalog } from '../store/bundle-catalog.ts';
import { localModelPath } from '../store/model-urls.ts';
import type { ModelChoice, SettingsStore } from '../store/settings.ts';
import type { Progress } from '../protocol/messages.ts';
import type { ModelsDeps, Persistence, StoredModel, TaskProgress } from './models-deps.ts';
import type { StartupPlan } from './startup.ts';

export type { ModelsDeps, Persistence, StoredModel, TaskProgress };

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
  /** 'declined' once the browser refused navigator.storage.persist() */
  persistence = $state<Persistence | undefined>();
  /** the user's own model in use instead of the default (remembered for the next visit) */
  chosen = $state.raw<ModelChoice | undefined>();
  readonly #store: Promise<ModelStore | undefined>;
  readonly #settings: Promise<SettingsStore | undefined>;
  readonly #deps: ModelsDeps;
  #default: StartupPlan | undefined;
  #controller: AbortController | undefined;
  /** the running task's own label (a step's line is appended to it) */
  #label = '';

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

  /** Forget the chosen model and load the default one again (the chosen bundle stays stored); true when it did. */
  async backToDefault(): Promise<boolean> {
    const plan = this.#default;
    if (!plan) return false;
    if (!(await this.#useDefault(plan))) return false; // cancelled or failed: the user's model stays
    await this.#forget();
    this.notice = `using the default model ${plan.modelId} again`;
    return true;
  }

  /**
   * Delete everything, step 1: when the user's own model is in use, the default one is loaded again
   * (so the page keeps a model in memory once the store is emptied); resolves to what was forgotten.
   */
  async ensureDefault(): Promise<string> {
    const chosen = this.chosen;
    if (!chosen) return '';
    if (!(await this.backToDefault()))
      throw new Error(
        `the default model did not load (${this.error ?? 'cancelled'}); your model stays in use`,
      );
    return `${chosen.name}; the default model ${this.#default?.modelId ?? ''} is in use again`;
  }

  /** Delete everything: every stored file, half-written ones too; resolves to the model ids that had files. */
  async eraseStore(): Promise<string[]> {
    const store = await this.#store;
    const models = store ? await store.clear() : [];
    this.notice = undefined;
    await this.refresh();
    return models;
  }

  /** Delete everything: every settings record (the chosen model); resolves to how many there were. */
  async eraseSettings(): Promise<number> {
    this.chosen = undefined;
    return (await this.#settings)?.clearAll() ?? 0;
  }

  /** Re-read the file list and the storage estimate. */
  async refresh(): Promise<void> {
    const store = await this.#store;
    if (!store) return;
    this.stored = groupByModel(await store.list());
    this.estimate = await store.estimate();
    const persisted = await this.#deps.storage?.persisted().catch(() => undefined);
    if (persisted !== undefined && this.persistence !== 'declined')
      this.persistence = persisted ? 'persistent' : 'best-effort';
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
      const onProgress = (p: { done: number; total?: number }) => this.#step({ stage: 'download', ...p });
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
    await this.eraseStore();
    await this.#forget();
    this.notice = 'deleted every downloaded model';
  }

  async #use(files: PickedFile[], signal: AbortSignal): Promise<void> {
    const store = await this.#store;
    if (!store) throw new Error('This browser keeps no model files here; see the message above.');
    const pick = await loadPicked(store, files, browserDeviceBudget);
    this.notice = describeLoaded(pick);
    if (pick.kind !== 'csv') await this.#askToPersist();
    if (pick.kind === 'sasrec-bundle') await this.#useBundle(pick.bundle, signal);
    if (pick.kind === 'csv') this.pickedCsv = { name: pick.name, bytes: await files[0].bytes() };
  }

  /**
   * Keep a bundle trained in the page (src/train) like picked files and load it in the worker;
   * resolves true when the worker now uses it (errors are shown in the panel).
   */
  keepTrained(files: ReadonlyMap<string, ArrayBuffer>, name: string): Promise<boolean> {
    return this.#run(`Keeping ${name}`, async (signal) => {
      const store = await this.#store;
      if (!store) throw new Error('This browser keeps no model files here; see the message above.');
      const bundle = await importSasrecBundle(store, files);
      this.notice = `kept: SASRec ${bundle.name}, ${bundle.itemCount} items (trained in this page)`;
      await this.#askToPersist();
      await this.#useBundle(bundle, signal);
    });
  }

  /** Load a stored bundle in the worker and remember it for the next visit (not when cancelled). */
  async #useBundle(bundle: ImportedBundle, signal: AbortSignal): Promise<void> {
    await this.#deps.useSasrec(bundle.path, signal, (p) => this.#step(p));
    if (signal.aborted) return;
    this.chosen = { model: bundle.model, name: bundle.name, catalog: bundle.hasCatalog };
    const settings = await this.#settings;
    await settings?.saveChoice(this.chosen).catch((error: unknown) => {
      this.notice = `${this.notice ?? ''} (not remembered for the next visit: ${errorLine(error)})`;
    });
  }

  /**
   * Load the remembered bundle (and its catalog, read and checked first); undefined when it is in
   * use, else the notice saying why not (the choice is then forgotten).
   */
  async #useChosen(choice: ModelChoice, plan: StartupPlan): Promise<string | undefined> {
    const loaded = await this.#run(`Loading your model ${choice.name}`, async (signal) => {
      const store = await this.#store;
      if (!store) throw new Error('This browser keeps no model files here; see the message above.');
      const catalog = choice.catalog ? await readBundleCatalog(store, choice.model) : undefined;
      await this.#deps.useSasrec(localModelPath(choice.model), signal, (p) => this.#step(p));
      if (signal.aborted) return;
      await this.#deps.useCatalog(catalog ?? plan.catalogUrl);
      this.chosen = choice;
    });
    if (loaded) {
      this.notice = `using your model ${choice.name} (kept in this browser)`;
      return undefined;
    }
    await this.#forget();
    return `Your model ${choice.name} could not be loaded from this browser's store (${this.error ?? 'cancelled'}); LocalRec uses the default model ${plan.modelId} instead.`;
  }

  /**
   * The default model of `plan` and its catalog, as one task with Cancel: its files are downloaded
   * into the store (bytes), then the worker reads them there (steps). True when it is in use.
   */
  async #useDefault(plan: StartupPlan): Promise<boolean> {
    const [, loaded] = await Promise.all([
      this.#deps.useCatalog(plan.catalogUrl),
      this.#run(`Loading ${plan.modelId}`, async (signal) => {
        await this.#download(plan, signal);
        if (signal.aborted) return;
        await this.#deps.useSasrec(plan.modelUrl, signal, (p) => this.#step(p));
      }),
    ]);
    return loaded;
  }

  /** Download the default model's missing files into the store; a failure other than Cancel is shown and the worker reads the network. */
  async #download(plan: StartupPlan, signal: AbortSignal): Promise<void> {
    const store = await this.#store;
    if (!store) return;
    const step = { stage: 'download', message: 'Downloading into this browser' };
    this.#step(step);
    try {
      const onProgress = (p: { done: number; total?: number }) => this.#step({ ...step, ...p });
      const result = await prefetchModel(store, plan.modelId, plan.modelUrl, { signal, onProgress });
      if (result.downloaded.length > 0)
        this.notice = `downloaded ${plan.modelId}: ${result.downloaded.join(', ')}`;
    } catch (error) {
      if (error instanceof DownloadCancelledError || signal.aborted) throw error;
      this.error = errorLine(error); // e.g. StorageFullError
    }
  }

  /** The user stored a model: ask the browser not to clear the store under pressure (once it said yes, not again). */
  async #askToPersist(): Promise<void> {
    const storage = this.#deps.storage;
    if (!storage || this.persistence === 'persistent') return;
    const granted = await storage.persist().catch(() => false);
    this.persistence = granted ? 'persistent' : 'declined';
  }

  async #forget(): Promise<void> {
    this.chosen = undefined;
    await (await this.#settings)?.clearChoice().catch((error: unknown) => console.warn(error));
  }

  /** Show a step of the running task: its stage, line and figures. */
  #step(p: Pick<Progress, 'stage' | 'message' | 'done' | 'total'>): void {
    if (!this.task) return;
    this.task = {
      label: p.message ? `${this.#label}: ${p.message}` : this.#label,
      stage: p.stage,
      ...(p.done === undefined ? {} : { done: p.done }),
      ...(p.total === undefined ? {} : { total: p.total }),
    };
  }

  /** Run `work` as the panel's task (progress + Cancel); true when it finished, not cancelled and without error. */
  async #run(label: string, work: (signal: AbortSignal) => Promise<void>): Promise<boolean> {
    this.#controller?.abort();
    const controller = new AbortController();
    this.#controller = controller;
    this.#label = label;
    this.task = { label };
    this.error = undefined;
    try {
      await work(controller.signal);
      if (!controller.signal.aborted) return true;
      this.error = 'Cancelled; the model loaded before stays in use.';
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
    return false;
  }
}
