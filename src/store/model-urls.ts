/**
 * The two kinds of model directory the page's worker reads, and how their URLs map to store keys:
 * - `models/<registry id>/<file>`: a model served by this origin, kept in the store after its first
 *   download (store model id = the registry id);
 * - `local-models/local-<16 hex>/<file>`: a bundle the user loaded from files or a URL, which exists
 *   only in the store. The 16 hex digits are the start of its manifest.json's sha256, so the manifest
 *   (the root the other files are checked against) is itself checked before use.
 */

/** Path segment of user-loaded bundles. */
export const LOCAL_MODELS_DIR = 'local-models';

/** A model file URL split into its kind, store model id and file name. */
export interface ModelFileUrl {
  kind: 'served' | 'local';
  model: string;
  file: string;
  /** the directory URL, ending with '/' */
  dir: string;
}

const PATTERN = /\/(models|local-models)\/([A-Za-z0-9._:-]+)\/([A-Za-z0-9._:-]+)$/;

/** The parts of a model file URL, or undefined for any other URL. */
export function parseModelFileUrl(url: string): ModelFileUrl | undefined {
  const parsed = new URL(url);
  const match = PATTERN.exec(parsed.pathname);
  if (!match) return undefined;
  const [, dir, model, file] = match;
  return {
    kind: dir === LOCAL_MODELS_DIR ? 'local' : 'served',
    model,
    file,
    dir: new URL('./', parsed).href,
  };
}

/** Store model id of a user-loaded bundle, from its manifest.json's sha256 hex. */
export function localModelId(manifestSha256: string): string {
  return `local-${manifestSha256.slice(0, 16)}`;
}

/** Directory URL (relative to the page) the worker loads a user bundle from. */
export function localModelPath(model: string): string {
  return `${LOCAL_MODELS_DIR}/${model}/`;
}
