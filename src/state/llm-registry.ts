/**
 * Which rec-tuned model the page's language-model switch loads: the first page model with arch
 * "llama-rec" in models/registry.json (the worker then checks it was tuned on the SASRec model in use).
 */
import { LocalRecError } from '../protocol/errors.ts';
import { parseModelRegistry } from './model-registry.ts';

/** The registry names no rec-tuned model the page can load. */
export class NoRecModelError extends LocalRecError {
  override name = 'NoRecModelError';
}

/** URL of `models/<id>/manifest.json` of the page's llama-rec model, relative to `baseUrl`. */
export async function recManifestUrl(baseUrl: string, fetchFn: typeof fetch): Promise<string> {
  const registryUrl = new URL('models/registry.json', baseUrl).href;
  const response = await fetchFn(registryUrl);
  if (!response.ok)
    throw new NoRecModelError(`${registryUrl} answered HTTP ${response.status}; reload the page.`);
  const entry = parseModelRegistry(await response.json()).pageModels.find((m) => m.arch === 'llama-rec');
  if (!entry) {
    throw new NoRecModelError(
      'models/registry.json names no page model with arch "llama-rec"; add one (page: true) to use the language model.',
    );
  }
  return new URL(`models/${entry.id}/manifest.json`, baseUrl).href;
}
