/**
 * The shapes around the Models panel's state (src/state/model-store.svelte.ts): what it drives
 * outside itself (`ModelsDeps`, wired in src/main.ts) and what it shows.
 */
import type { Progress } from '../protocol/messages.ts';
import type { ModelStore } from '../store/model-store.ts';
import type { SettingsStore } from '../store/settings.ts';
import type { LoadedCatalog } from './catalog.svelte.ts';

/** A long step on screen: a label, its current step (rpc progress stage), bytes when known. */
export interface TaskProgress {
  label: string;
  /** 'download' (page → store), or the worker's 'fetch' | 'backend' | 'upload' | 'compile' */
  stage?: string;
  done?: number;
  total?: number;
}

/** One stored model and its files. */
export interface StoredModel {
  model: string;
  files: string[];
}

/** What the Models panel drives outside itself. */
export interface ModelsDeps {
  /** opens the browser's model store */
  openStore: () => Promise<ModelStore>;
  /**
   * loads a model directory (relative to the page) in the worker, reporting its steps (read, upload,
   * compile); rejects when it did not load; the signal is Cancel (the model before stays in use)
   */
  useSasrec: (relativeUrl: string, signal: AbortSignal, onProgress: (p: Progress) => void) => Promise<void>;
  /** shows a catalog: a stored bundle's own, or the one at a URL (the default model's data set) */
  useCatalog: (source: LoadedCatalog | string) => Promise<void>;
  /** opens the page's settings (where the chosen model is remembered) */
  openSettings: () => Promise<SettingsStore>;
  /** navigator.storage where the browser has it: asked to keep the files when the user stores a model */
  storage?: Pick<StorageManager, 'persist' | 'persisted'>;
}

/** Whether the browser may clear the stored models under storage pressure. */
export type Persistence = 'persistent' | 'best-effort' | 'declined';
