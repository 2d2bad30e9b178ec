/**
 * Import a SASRec bundle the user picked (manifest.json + its weight files + items.json) into the
 * model store, after checking the files against each other with the same loader the worker uses
 * (manifest schema, sizes and sha256, tensor names/shapes/dtypes) and items.json against the
 * item count. The stored manifest.json also lists items.json with its sha256 (added when the
 * exporter left it out), so the worker can check every file; its own sha256 names the model
 * (`local-<16 hex>`). A `catalog.bin` among the files (a model trained in the page brings its own
 * catalog) is checked, listed in the stored manifest and kept too. All or nothing: a failed import
 * deletes what it wrote.
 */
import { z } from 'zod';
import { unpackCatalog } from '../data/catalog-binary.ts';
import { LocalRecError } from '../protocol/errors.ts';
import { loadSasrecModel, verifyFileIntegrity } from '../sasrec/weights.ts';
import type { ModelStore } from './model-store.ts';
import { localModelId, localModelPath } from './model-urls.ts';
import { sha256Hex } from './sha256.ts';

/** The picked files do not form a SASRec bundle (something missing, or files that disagree). */
export class BundleError extends LocalRecError {
  override name = 'BundleError';
}

/** A stored user bundle. */
export interface ImportedBundle {
  /** store model id, `local-<16 hex>` */
  model: string;
  /** directory to hand to `sasrec.load`, relative to the page */
  path: string;
  /** the manifest's own id */
  name: string;
  itemCount: number;
  /** true when the bundle keeps its own catalog.bin */
  hasCatalog: boolean;
  /** bytes stored (all files) */
  bytes: number;
}

const MANIFEST = 'manifest.json';
const ITEMS = 'items.json';
/** The optional catalog file of a bundle (src/data/catalog-binary.ts). */
export const BUNDLE_CATALOG = 'catalog.bin';
const itemsSchema = z.array(z.union([z.string(), z.number()]));

function need(files: ReadonlyMap<string, ArrayBuffer>, name: string, why: string): ArrayBuffer {
  const bytes = files.get(name);
  if (!bytes) {
    throw new BundleError(
      `The SASRec bundle has no ${name} (${why}); pick manifest.json, weights.safetensors and items.json together.`,
    );
  }
  return bytes;
}

function checkItems(bytes: ArrayBuffer, itemCount: number): void {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(bytes));
  } catch (error) {
    throw new BundleError(
      `items.json is not JSON (${String(error)}); use the items.json exported with the model.`,
    );
  }
  const parsed = itemsSchema.safeParse(value);
  if (!parsed.success || parsed.data.length !== itemCount) {
    const got = Array.isArray(value) ? `${value.length} entries` : typeof value;
    throw new BundleError(
      `items.json must list the ${itemCount} item keys of the manifest's model (ids 1..${itemCount}); it has ${got}. ` +
        'Pick the items.json exported with this model.',
    );
  }
}

/** Check `files` (name → bytes) as one SASRec bundle and keep it in `store`. */
export async function importSasrecBundle(
  store: ModelStore,
  files: ReadonlyMap<string, ArrayBuffer>,
): Promise<ImportedBundle> {
  const manifestBytes = need(files, MANIFEST, 'it describes the model');
  const items = need(files, ITEMS, 'it maps item ids to catalog keys');
  const { manifest } = await loadSasrecModel(async (name) => need(files, name, 'the manifest lists it'));
  checkItems(items, manifest.config.itemCount);
  const itemsDigest = { sha256: await sha256Hex(items), bytes: items.byteLength };
  const listed = manifest.files[ITEMS];
  if (listed) await verifyFileIntegrity(ITEMS, items, listed);
  const raw = JSON.parse(new TextDecoder().decode(manifestBytes)) as { files: Record<string, unknown> };
  raw.files[ITEMS] = listed ?? itemsDigest;
  const catalog = files.get(BUNDLE_CATALOG);
  if (catalog) {
    unpackCatalog(new Uint8Array(catalog)); // CatalogFormatError when it is not one
    raw.files[BUNDLE_CATALOG] = { sha256: await sha256Hex(catalog), bytes: catalog.byteLength };
  }
  const stored = new TextEncoder().encode(JSON.stringify(raw, null, 2)).buffer as ArrayBuffer;
  const manifestSha = await sha256Hex(stored);
  const model = localModelId(manifestSha);
  const weightFiles = [...new Set(manifest.tensors.map((t) => t.file))];
  const toStore: [string, ArrayBuffer][] = [
    ...weightFiles.map((name): [string, ArrayBuffer] => [name, need(files, name, 'the manifest lists it')]),
    [ITEMS, items],
    ...(catalog ? [[BUNDLE_CATALOG, catalog] as [string, ArrayBuffer]] : []),
    [MANIFEST, stored], // last: a bundle without its manifest is never loadable
  ];
  try {
    for (const [file, bytes] of toStore) {
      const digest =
        file === MANIFEST
          ? { sha256: manifestSha, bytes: stored.byteLength }
          : { ...(raw.files[file] as { sha256: string; bytes: number }) };
      await store.put({ model, file }, bytes, digest);
    }
  } catch (error) {
    await store.delete(model).catch(() => undefined);
    throw error;
  }
  return {
    model,
    path: localModelPath(model),
    name: manifest.id,
    itemCount: manifest.config.itemCount,
    hasCatalog: catalog !== undefined,
    bytes: toStore.reduce((sum, [, bytes]) => sum + bytes.byteLength, 0),
  };
}
