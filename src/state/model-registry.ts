/**
 * `models/registry.json`: the list of models the app knows (single source of truth, written by
 * the lead / training CLI). Read by the page (which model to load) and by the build plugin (which
 * model files to copy into dist/). Parsed leniently: unknown fields are kept and ignored.
 */
import { z } from 'zod';
import { LocalRecError } from '../protocol/errors.ts';

/** registry.json is missing fields the app needs, or names no SASRec model. */
export class ModelRegistryError extends LocalRecError {
  override name = 'ModelRegistryError';
}

const entrySchema = z.looseObject({
  id: z.string().regex(/^[A-Za-z0-9._-]+$/, 'model ids are directory names: letters, digits, . _ -'),
  arch: z.string().optional(),
  /** data set the model was trained on, e.g. "ml-latest-small" */
  dataset: z.string().optional(),
  /** catalog.bin of the model's data set, relative to the page, e.g. "data/ml-latest-small/catalog.bin" */
  catalog: z.string().optional(),
  /** true: shipped with the demo page (copied into dist/); otherwise a benchmark-only model */
  page: z.boolean().optional(),
  description: z.string().optional(),
});

const registrySchema = z.union([
  z.looseObject({ default: z.string().optional(), models: z.array(entrySchema) }),
  z.array(entrySchema),
]);

/** One registered model; its files live in `models/<id>/`. */
export type ModelRegistryEntry = z.infer<typeof entrySchema>;

/** The parsed registry: all entries, the page's models and the one to load by default. */
export interface ModelRegistry {
  models: ModelRegistryEntry[];
  /** entries with `page: true`: the models the demo build ships */
  pageModels: ModelRegistryEntry[];
  /** among the page's SASRec models: the `default` one, else the first */
  defaultSasrec: ModelRegistryEntry | undefined;
}

/**
 * Validate registry JSON (`{default?, models: [{id, arch?, dataset?, page?, description?}]}` or a
 * bare array of entries; docs/ARCHITECTURE.md "Model directory").
 */
export function parseModelRegistry(value: unknown): ModelRegistry {
  const parsed = registrySchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ModelRegistryError(
      `models/registry.json: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}; ` +
        'expected {"models": [{"id": "<dir under models/>", "arch": "sasrec", "page": true}]}.',
    );
  }
  const data = parsed.data;
  const models = Array.isArray(data) ? data : data.models;
  const wanted = Array.isArray(data) ? undefined : data.default;
  const pageModels = models.filter((m) => m.page === true);
  const sasrec = pageModels.filter((m) => m.arch === undefined || m.arch === 'sasrec');
  const defaultSasrec = sasrec.find((m) => m.id === wanted) ?? sasrec[0];
  return { models, pageModels, defaultSasrec };
}
