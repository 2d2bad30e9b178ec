/**
 * Which tuned models the page's language-model switch loads: the first page model with arch
 * "llama-rec" in models/registry.json, and the first with arch "llama-interest" if there is one
 * (the worker then checks each was tuned on the SASRec model in use).
 */
import { LocalRecError } from '../protocol/errors.ts';
import { parseModelRegistry } from './model-registry.ts';

/** The registry names no rec-tuned model the page can load. */
export class NoRecModelError extends LocalRecError {
  override name = 'NoRecModelError';
}

/** URL of `models/<id>/manifest.json` of the first page model with `arch`, relative to `baseUrl`; undefined: none. */
async function pageModelManifestUrl(
  baseUrl: string,
  fetchFn: typeof fetch,
  arch: string,
): Promise<string | undefined> {
  const registryUrl = new URL('models/registry.json', baseUrl).href;
  const response = await fetchFn(registryUrl);
  if (!response.ok)
    throw new NoRecModelError(`${registryUrl} answered HTTP ${response.status}; reload the page.`);
  const entry = parseModelRegistry(await response.json()).pageModels.find((m) => m.arch === arch);
  return entry && new URL(`models/${entry.id}/manifest.json`, baseUrl).href;
}

/** URL of `models/<id>/manifest.json` of the page's llama-rec model, relative to `baseUrl`. */
export async function recManifestUrl(baseUrl: string, fetchFn: typeof fetch): Promise<string> {
  const url = await pageModelManifestUrl(baseUrl, fetchFn, 'llama-rec');
  if (!url) {
    throw new NoRecModelError(
      'models/registry.json names no page model with arch "llama-rec"; add one (page: true) to use the language model.',
    );
  }
  return url;
}

/** URL of the page's interest model's manifest (arch "llama-interest"), or undefined when it has none. */
export function interestManifestUrl(baseUrl: string, fetchFn: typeof fetch): Promise<string | undefined> {
  return pageModelManifestUrl(baseUrl, fetchFn, 'llama-interest');
}
