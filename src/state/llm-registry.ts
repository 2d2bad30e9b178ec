/**
 * Which tuned models the page's language-model switch loads: the first page model with arch
 * "llama-rec" in models/registry.json, and the first with arch "llama-interest" if there is one
 * (the worker then checks each was tuned on the SASRec model in use). One read of the registry.
 */
import { LocalRecError } from '../protocol/errors.ts';
import { parseModelRegistry } from './model-registry.ts';

/** The registry names no rec-tuned model the page can load. */
export class NoRecModelError extends LocalRecError {
  override name = 'NoRecModelError';
}

/** URLs of the tuned models' `models/<id>/manifest.json`, relative to the page. */
export interface TunedModelUrls {
  /** the llama-rec model (re-rank, explanations, chat) */
  rec: string;
  /** the llama-interest model (TALLRec's P(yes)); undefined when the registry has none */
  interest?: string;
}

/** The page's tuned models from models/registry.json under `baseUrl`; NoRecModelError without a llama-rec one. */
export async function tunedModelUrls(baseUrl: string, fetchFn: typeof fetch): Promise<TunedModelUrls> {
  const registryUrl = new URL('models/registry.json', baseUrl).href;
  const response = await fetchFn(registryUrl);
  if (!response.ok)
    throw new NoRecModelError(`${registryUrl} answered HTTP ${response.status}; reload the page.`);
  const { pageModels } = parseModelRegistry(await response.json());
  const url = (arch: string): string | undefined => {
    const entry = pageModels.find((m) => m.arch === arch);
    return entry && new URL(`models/${entry.id}/manifest.json`, baseUrl).href;
  };
  const rec = url('llama-rec');
  if (!rec) {
    throw new NoRecModelError(
      'models/registry.json names no page model with arch "llama-rec"; add one (page: true) to use the language model.',
    );
  }
  const interest = url('llama-interest');
  return interest ? { rec, interest } : { rec };
}
