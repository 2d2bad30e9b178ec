/**
 * Read the catalog a stored user bundle keeps (`catalog.bin`, listed in its stored manifest): the
 * manifest is checked against the bundle's id and the catalog against the manifest, exactly as the
 * worker reads the bundle's other files (storeBackedFetch); nothing comes from the network.
 */
import { unpackCatalog, type PackedCatalog } from '../data/catalog-binary.ts';
import { ModelLoadError } from '../protocol/errors.ts';
import { BUNDLE_CATALOG } from './import-bundle.ts';
import type { ModelStore } from './model-store.ts';
import { localModelPath } from './model-urls.ts';
import { storeBackedFetch } from './worker-fetch.ts';

/** Any absolute base works: only the path of a model file URL names its store key. */
const STORE_BASE = 'https://localrec.invalid/';

/** The checked, unpacked catalog.bin of the stored bundle `model`; ModelLoadError when it is absent. */
export async function readBundleCatalog(store: ModelStore, model: string): Promise<PackedCatalog> {
  const noNetwork = (): Promise<Response> =>
    Promise.reject(new ModelLoadError(`${model} exists only in this browser's model store.`));
  const read = storeBackedFetch(() => Promise.resolve(store), noNetwork);
  const dir = new URL(localModelPath(model), STORE_BASE).href;
  const stored = async (file: string): Promise<Response> => {
    const response = await read(dir + file);
    if (response.ok) return response;
    throw new ModelLoadError(
      `${file} of ${model} is not in this browser's model store (${response.status}); train or load the model again.`,
    );
  };
  await stored('manifest.json'); // checked against the id; its file list checks the catalog
  return unpackCatalog(new Uint8Array(await (await stored(BUNDLE_CATALOG)).arrayBuffer()));
}
