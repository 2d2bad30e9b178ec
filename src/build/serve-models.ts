/**
 * Vite plugin: makes the repository's top-level `models/` directory available to the page.
 *  - dev and preview: serves GET /models/<file> from `<root>/models/` (registry.json and the
 *    directories of the registry's `page: true` models only; no path escapes);
 *  - build: copies registry.json and each page model's files (manifest.json, every file the
 *    manifest lists, items.json) into `dist/models/`.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { Connect, Plugin } from 'vite';
import { parseModelRegistry } from '../state/model-registry.ts';

const CONTENT_TYPES: Record<string, string> = {
  '.json': 'application/json; charset=utf-8',
  '.safetensors': 'application/octet-stream',
  '.onnx': 'application/octet-stream',
  '.bin': 'application/octet-stream',
};

/** Files of one model directory the page may load: manifest + its listed files + items.json. */
export function modelFiles(modelDir: string): string[] {
  const manifestPath = join(modelDir, 'manifest.json');
  if (!existsSync(manifestPath)) return [];
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
    files?: Record<string, unknown>;
    tensors?: { file?: string }[];
    default?: string;
  };
  const names = new Set<string>(['manifest.json']);
  for (const name of Object.keys(manifest.files ?? {})) names.add(name);
  // llama-rec manifests list their GGUF files by scheme ({"q8_0": {"file": …}}); the page loads the default one
  const byScheme: unknown = manifest.default ? manifest.files?.[manifest.default] : undefined;
  const ggufFile = (byScheme as { file?: unknown } | undefined)?.file;
  if (typeof ggufFile === 'string') names.add(ggufFile);
  for (const t of manifest.tensors ?? []) if (t.file) names.add(t.file);
  if (existsSync(join(modelDir, 'items.json'))) names.add('items.json');
  return [...names].filter((name) => !name.includes('..') && existsSync(join(modelDir, name)));
}

/** Relative paths under models/ that are public: registry.json and `<id>/<file>` of the page's models (`page: true`). */
export function publicModelPaths(modelsDir: string): string[] {
  const registryPath = join(modelsDir, 'registry.json');
  if (!existsSync(registryPath)) return [];
  const registry = parseModelRegistry(JSON.parse(readFileSync(registryPath, 'utf8')));
  const paths = ['registry.json'];
  for (const { id } of registry.pageModels) {
    for (const file of modelFiles(join(modelsDir, id))) paths.push(`${id}/${file}`);
  }
  return paths;
}

function middleware(modelsDir: string): Connect.NextHandleFunction {
  return (req, res, next) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const match = /(?:^|\/)models\/(.+)$/.exec(decodeURIComponent(url.pathname));
    if (!match || (req.method !== 'GET' && req.method !== 'HEAD')) return next();
    const relative = normalize(match[1]).split(sep).join('/');
    if (!publicModelPaths(modelsDir).includes(relative)) return next();
    const file = resolve(modelsDir, relative);
    res.setHeader('Content-Type', CONTENT_TYPES[extname(file)] ?? 'application/octet-stream');
    res.setHeader('Content-Length', String(statSync(file).size));
    res.setHeader('Cache-Control', 'no-cache');
    res.end(req.method === 'HEAD' ? undefined : readFileSync(file));
  };
}

/**
 * The plugin. The models directory is `options.modelsDir`, else the environment variable
 * `LOCALREC_MODELS_DIR` (serve another set of models without editing the repo), else
 * `<vite root>/models`.
 */
export function serveModels(options: { modelsDir?: string } = {}): Plugin {
  const chosen = options.modelsDir ?? process.env.LOCALREC_MODELS_DIR;
  let modelsDir = chosen ?? resolve('models');
  return {
    name: 'localrec-serve-models',
    configResolved(config) {
      modelsDir = chosen ? resolve(chosen) : resolve(config.root, 'models');
    },
    configureServer(server) {
      server.middlewares.use(middleware(modelsDir));
    },
    configurePreviewServer(server) {
      server.middlewares.use(middleware(modelsDir));
    },
    generateBundle() {
      for (const path of publicModelPaths(modelsDir)) {
        this.emitFile({
          type: 'asset',
          fileName: `models/${path}`,
          source: readFileSync(join(modelsDir, path)),
        });
      }
    },
  };
}
