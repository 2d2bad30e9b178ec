/**
 * Vite plugin (build only): emits the service worker `sw.js` (from src/sw/sw.ts) and bakes into it
 * the precache manifest of THIS build: every emitted file of the bundle (HTML, JS, CSS, worker
 * chunks, the page models' manifest.json — their weights live in the model store) except source maps
 * and sw.js itself, plus the catalog.bin of each page model from public/. Chunks named in
 * LAZY_CHUNKS (the language model's English word list, 360 KB) are listed as `lazy`: the service
 * worker caches them on first use, not at install. The cache version is a content hash of all those
 * files, so any change gives a new cache and the old one is deleted when the new worker activates.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Plugin } from 'vite';
import type { PrecacheManifest } from '../sw/precache-manifest.ts';
import { parseModelRegistry } from '../state/model-registry.ts';
import { catalogPathOf } from '../state/startup.ts';

/** The placeholder identifier in src/sw/sw.ts that the manifest JSON replaces. */
export const MANIFEST_PLACEHOLDER = '__LOCALREC_PRECACHE__';
/** Output name of the service worker, at the root of dist/. */
export const SERVICE_WORKER_FILE = 'sw.js';

/** The precache manifest could not be built (missing placeholder or catalog). */
export class PrecacheBuildError extends Error {
  override name = 'PrecacheBuildError';
}

/** One file to precache: its path relative to dist/ and its bytes. */
export interface PrecacheFile {
  name: string;
  bytes: Uint8Array | string;
}

/**
 * Chunks cached on first use (by chunk name): the English word list of the language model's
 * readability check (src/rec/explain-readable.ts imports it dynamically), which a visit that never
 * turns the language model on does not need.
 */
export const LAZY_CHUNKS: readonly string[] = ['english-words'];

/** Whether a bundle file is one of LAZY_CHUNKS (a dynamically imported chunk of that name). */
export function isLazyChunk(file: { type: string; name?: string; isDynamicEntry?: boolean }): boolean {
  return file.type === 'chunk' && file.isDynamicEntry === true && LAZY_CHUNKS.includes(file.name ?? '');
}

const byName = (a: PrecacheFile, b: PrecacheFile): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** Sorted file lists + a 16-hex-digit sha256 over names and contents (precached, then lazy ones). */
export function buildPrecacheManifest(
  files: readonly PrecacheFile[],
  lazy: readonly PrecacheFile[] = [],
): PrecacheManifest {
  const sorted = [...files].sort(byName);
  const sortedLazy = [...lazy].sort(byName);
  const hash = createHash('sha256');
  for (const [prefix, list] of [
    ['', sorted],
    ['lazy:', sortedLazy],
  ] as const)
    for (const file of list) {
      hash.update(`${prefix}${file.name}\0${file.bytes.length}\0`);
      hash.update(file.bytes);
    }
  return {
    version: hash.digest('hex').slice(0, 16),
    files: sorted.map((f) => f.name),
    lazy: sortedLazy.map((f) => f.name),
  };
}

/** Replace every occurrence of the placeholder in the service worker's code with the manifest JSON. */
export function injectManifest(code: string, manifest: PrecacheManifest): string {
  if (!code.includes(MANIFEST_PLACEHOLDER)) {
    throw new PrecacheBuildError(
      `${SERVICE_WORKER_FILE} does not mention ${MANIFEST_PLACEHOLDER}; src/sw/sw.ts must read its manifest from it.`,
    );
  }
  return code.split(MANIFEST_PLACEHOLDER).join(JSON.stringify(manifest));
}

/** Whether a bundle file belongs in the precache (not a source map, not the service worker). */
export function isPrecached(fileName: string): boolean {
  return fileName !== SERVICE_WORKER_FILE && !fileName.endsWith('.map');
}

const MODEL_FILE = /^models\/([^/]+)\/([^/]+)$/;

/**
 * Model files of the bundle the service worker leaves out: everything under `models/<id>/` except
 * manifest.json. The page never loads model.onnx, goldens.json, …; the files it does load (weights,
 * items.json) live in the model store (src/store/prefetch.ts, sha256-checked), so precaching them
 * too would keep the default model twice. Directories without a manifest.json are left alone.
 */
export function modelFilesNotPrecached(files: readonly PrecacheFile[]): Set<string> {
  const withManifest = new Set<string>();
  for (const { name } of files) {
    const match = MODEL_FILE.exec(name);
    if (match?.[2] === 'manifest.json') withManifest.add(match[1]);
  }
  const left = new Set<string>();
  for (const { name } of files) {
    const match = MODEL_FILE.exec(name);
    if (match && withManifest.has(match[1]) && match[2] !== 'manifest.json') left.add(name);
  }
  return left;
}

/** The catalog.bin paths (relative to dist/) of the page models in an emitted registry.json. */
export function pageCatalogPaths(registryJson: string): string[] {
  const registry = parseModelRegistry(JSON.parse(registryJson));
  return [...new Set(registry.pageModels.map(catalogPathOf))];
}

type BundleFile = { type: 'chunk'; code: string } | { type: 'asset'; source: string | Uint8Array };

function bytesOf(file: BundleFile): string | Uint8Array {
  return file.type === 'chunk' ? file.code : file.source;
}

/** The plugin; `serviceWorkerEntry` defaults to `<root>/src/sw/sw.ts`. */
export function precacheServiceWorker(options: { serviceWorkerEntry?: string } = {}): Plugin {
  let root = process.cwd();
  let publicDir = '';
  return {
    name: 'localrec-precache',
    apply: 'build',
    enforce: 'post',
    configResolved(config) {
      root = config.root;
      publicDir = config.publicDir;
    },
    buildStart() {
      const id = options.serviceWorkerEntry ?? resolve(root, 'src/sw/sw.ts');
      this.emitFile({ type: 'chunk', id, fileName: SERVICE_WORKER_FILE });
    },
    generateBundle(_options, bundle) {
      const toFile = (file: (typeof bundle)[string]): PrecacheFile => ({
        name: file.fileName,
        bytes: bytesOf(file as BundleFile),
      });
      const wanted = Object.values(bundle).filter((file) => isPrecached(file.fileName));
      const lazy = wanted.filter((file) => isLazyChunk(file)).map(toFile);
      const emitted = wanted.filter((file) => !isLazyChunk(file)).map(toFile);
      const leftOut = modelFilesNotPrecached(emitted);
      const files = emitted.filter((file) => !leftOut.has(file.name));
      const registry = bundle['models/registry.json'];
      if (registry?.type === 'asset') {
        for (const path of pageCatalogPaths(String(registry.source))) {
          const file = join(publicDir, path);
          if (!existsSync(file))
            throw new PrecacheBuildError(
              `A page model's catalog ${path} is not in ${publicDir}; bundle it first.`,
            );
          files.push({ name: path, bytes: readFileSync(file) });
        }
      }
      const sw = bundle[SERVICE_WORKER_FILE];
      if (sw?.type !== 'chunk') throw new PrecacheBuildError(`${SERVICE_WORKER_FILE} was not built.`);
      sw.code = injectManifest(sw.code, buildPrecacheManifest(files, lazy));
      // the injected JSON shifts every later column: a source map of the old code would mislead
      (sw as { map: unknown }).map = null;
      sw.code = sw.code.replace(/\n?\/\/# sourceMappingURL=\S+\s*$/, '\n');
      delete bundle[`${SERVICE_WORKER_FILE}.map`];
    },
  };
}
