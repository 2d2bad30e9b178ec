/**
 * Page start-up inputs: which model and catalog to load (from models/registry.json) and which
 * backend the URL asks for (`?backend=cpu|webgpu|auto`).
 */
import { unpackCatalog } from '../data/catalog-binary.ts';
import type { LoadedCatalog } from './catalog.svelte.ts';
import { LocalRecError } from '../protocol/errors.ts';
import type { BackendPreference } from '../protocol/messages.ts';
import { ModelRegistryError, parseModelRegistry, type ModelRegistryEntry } from './model-registry.ts';

/** A same-origin file the page needs answered with an HTTP error. */
export class AssetFetchError extends LocalRecError {
  override name = 'AssetFetchError';
}

/** The bundled catalog, relative to the page (used when the registry names no data set). */
export const DEFAULT_CATALOG = 'data/ml-latest-small/catalog.bin';

/** Absolute URLs of what to load, resolved against the page. */
export interface StartupPlan {
  modelId: string;
  /** absolute model directory URL, ending with '/' */
  modelUrl: string;
  /** absolute catalog.bin URL */
  catalogUrl: string;
}

async function fetchOk(url: string): Promise<Response> {
  const response = await fetch(url);
  if (!response.ok)
    throw new AssetFetchError(`${url} answered HTTP ${response.status}; rebuild with \`npm start\`.`);
  return response;
}

/** The catalog.bin of a registered model's data set, relative to the page (registry `catalog`, else by data set). */
export function catalogPathOf(model: ModelRegistryEntry): string {
  return (
    model.catalog ?? (model.dataset === undefined ? DEFAULT_CATALOG : `data/${model.dataset}/catalog.bin`)
  );
}

/** Read models/registry.json and resolve the default SASRec model and its data set's catalog. */
export async function planStartup(baseUrl: string): Promise<StartupPlan> {
  const registryUrl = new URL('models/registry.json', baseUrl).href;
  const registry = parseModelRegistry(await (await fetchOk(registryUrl)).json());
  const model = registry.defaultSasrec;
  if (!model) throw new ModelRegistryError('models/registry.json lists no SASRec model; train one first.');
  const catalog = catalogPathOf(model);
  const catalogUrl = new URL(catalog, baseUrl);
  if (catalogUrl.origin !== new URL(baseUrl).origin) {
    throw new ModelRegistryError(
      `models/registry.json: catalog "${catalog}" is not on this origin; use a relative path.`,
    );
  }
  return {
    modelId: model.id,
    modelUrl: new URL(`models/${model.id}/`, baseUrl).href,
    catalogUrl: catalogUrl.href,
  };
}

/** Fetch and unpack a catalog.bin: its items and per-item interaction counts. */
export async function loadCatalog(url: string): Promise<LoadedCatalog> {
  const bytes = new Uint8Array(await (await fetchOk(url)).arrayBuffer());
  const { items, popularity } = unpackCatalog(bytes);
  return { items, popularity };
}

/** `?backend=` of the page URL; 'auto' when absent or unrecognised. */
export function backendFromSearch(search: string): BackendPreference {
  const value = new URLSearchParams(search).get('backend');
  return value === 'cpu' || value === 'webgpu' ? value : 'auto';
}
