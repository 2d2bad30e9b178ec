/**
 * Where a `<local-rec>` loads its model and catalog from. Models always come from the widget's
 * own origin (the directory widget.js was loaded from): the `model` attribute is an id from that
 * origin's models/registry.json (default: the registry's default SASRec model). The `catalog`
 * attribute is a URL relative to the host page; without it, the model's data-set catalog on the
 * widget's origin is used.
 */
import { LocalRecError } from '../protocol/errors.ts';
import { parseModelRegistry } from '../state/model-registry.ts';
import { catalogPathOf } from '../state/startup.ts';

/** The widget's attributes name a model that does not exist, or the registry cannot be read. */
export class WidgetConfigError extends LocalRecError {
  override name = 'WidgetConfigError';
}

/** Absolute URLs for one widget. */
export interface WidgetPlan {
  modelId: string;
  /** model directory on the widget's origin, ending with '/' */
  modelUrl: string;
  catalogUrl: string;
}

/** What the plan is built from. */
export interface WidgetPlanInput {
  /** directory of widget.js, ending with '/' (e.g. "http://127.0.0.1:4173/") */
  widgetBase: string;
  /** the host page's base URL, for a relative `catalog` attribute */
  pageBase: string;
  model: string | null;
  catalog: string | null;
}

/** Read the registry on the widget's origin and resolve the model and catalog URLs. */
export async function planWidget(
  input: WidgetPlanInput,
  fetchJson: (url: string) => Promise<unknown>,
): Promise<WidgetPlan> {
  const registryUrl = new URL('models/registry.json', input.widgetBase).href;
  let registryJson: unknown;
  try {
    registryJson = await fetchJson(registryUrl);
  } catch (error) {
    throw new WidgetConfigError(
      `Could not read ${registryUrl} (${error instanceof Error ? error.message : String(error)}); serve widget.js from a LocalRec build.`,
    );
  }
  const registry = parseModelRegistry(registryJson);
  const wanted = input.model?.trim() || undefined;
  const entry = wanted ? registry.pageModels.find((m) => m.id === wanted) : registry.defaultSasrec;
  if (!entry) {
    const known = registry.pageModels.map((m) => m.id).join(', ') || 'none';
    throw new WidgetConfigError(
      wanted
        ? `model="${wanted}" is not a model of this widget (known: ${known}); use one of those ids or leave model out.`
        : `${registryUrl} lists no SASRec model for the page; train and register one.`,
    );
  }
  const catalogAttr = input.catalog?.trim() || undefined;
  return {
    modelId: entry.id,
    modelUrl: new URL(`models/${entry.id}/`, input.widgetBase).href,
    catalogUrl: catalogAttr
      ? new URL(catalogAttr, input.pageBase).href
      : new URL(catalogPathOf(entry), input.widgetBase).href,
  };
}
