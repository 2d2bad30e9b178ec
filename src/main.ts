/**
 * Page entry: builds the shared state, starts the SASRec worker, mounts the app, then loads the
 * history (IndexedDB), the catalog and the model — all from this origin.
 */
import './store/zod-jitless.ts'; // first: before any zod schema is created
import { mount } from 'svelte';
import App from './App.svelte';
import { registerKnownErrors } from './protocol/known-errors.ts';
import { CatalogState } from './state/catalog.svelte.ts';
import { EraseState } from './state/erase.svelte.ts';
import type { AppState } from './state/context.ts';
import { HistoryState } from './state/history.svelte.ts';
import { LlmState } from './state/llm.svelte.ts';
import { startLlmWorker } from './state/llm-worker.ts';
import { openHistoryStore, type HistoryStore } from './state/history-store.ts';
import { ModelsState } from './state/model-store.svelte.ts';
import { RecommenderState } from './state/recommender.svelte.ts';
import { sasrecLoader, startSasrecWorker, tapLoadProgress } from './state/sasrec-worker.ts';
import { backendFromSearch, DEFAULT_CATALOG, loadCatalog, planStartup } from './state/startup.ts';
import { openModelStore } from './store/open-store.ts';
import { openSettings } from './store/settings.ts';
import { registerServiceWorker } from './sw/register.ts';

registerKnownErrors();

let store: HistoryStore | null = null;
try {
  store = openHistoryStore();
} catch (error) {
  console.warn(error);
}

const { client } = startSasrecWorker();
// `?diagnostics`: hand the worker's rpc client (the soak test drives it directly) and the model store opener to scripts
if (new URLSearchParams(location.search).has('diagnostics')) {
  (globalThis as typeof globalThis & { localrecDiagnostics?: unknown }).localrecDiagnostics = {
    client,
    openModelStore,
  };
}
// the Models panel shows the worker's load steps (read, upload, compile) as progress bars
const loadProgress = tapLoadProgress(client);
const recommender = new RecommenderState(loadProgress.client);
const backend = backendFromSearch(location.search);
const catalog = new CatalogState();
// model files are kept in the browser's model store; a loaded bundle goes to the same worker; the
// user's own model is remembered in the IndexedDB settings and loaded again on the next visit
const models = new ModelsState({
  openStore: openModelStore,
  openSettings,
  ...('storage' in navigator ? { storage: navigator.storage } : {}),
  useSasrec: sasrecLoader(recommender, loadProgress, backend, document.baseURI),
  useCatalog: (source) =>
    typeof source === 'string'
      ? catalog.load(loadCatalog, source)
      : catalog.load(() => Promise.resolve(source), 'kept in this browser'),
});
const history = new HistoryState(store);
// the language-model switch: no LLM worker and no download until the user turns it on
const llm = new LlmState({
  baseUrl: document.baseURI,
  fetch: (input, init) => fetch(input, init),
  startClient: () => startLlmWorker().client,
});
const state: AppState = {
  catalog,
  history,
  recommender,
  models,
  llm,
  // "Delete everything": the user's GGUF out of the LLM worker, history, settings, stored models and
  // their databases / cache, after a confirm
  erase: new EraseState({
    history,
    models,
    llm,
    containers: {
      ...(typeof caches === 'undefined' ? {} : { caches }),
      ...(typeof indexedDB === 'undefined' ? {} : { indexedDB }),
    },
    confirm: (question) => window.confirm(question),
  }),
};

const target = document.getElementById('app');
if (!target) throw new Error('index.html must contain <div id="app">');
mount(App, { target, props: { state } });

async function start(): Promise<void> {
  const restoring = state.history.restore();
  const defaultCatalog = new URL(DEFAULT_CATALOG, document.baseURI).href;
  try {
    const plan = await planStartup(document.baseURI);
    // the remembered model, else the default one: downloaded into the model store first, then the
    // worker reads it there (progress + Cancel in the Models panel)
    await Promise.all([restoring, models.start(plan)]);
  } catch (error) {
    // no usable registry: still show the bundled catalog and keep the history usable
    state.recommender.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    state.recommender.status = 'error';
    await Promise.all([restoring, state.catalog.load(loadCatalog, defaultCatalog)]);
  }
}

void start();
// offline mode: built pages ship dist/sw.js (src/build/precache.ts); the dev server (HMR) has none.
// Not import.meta.env.PROD: a build run under vitest (NODE_ENV=test) has PROD false.
if (!import.meta.hot) void registerServiceWorker();
