/**
 * Which models directory the e2e build serves: the repo's `models/` when its registry names a
 * SASRec model with manifest.json and items.json, else a temporary directory holding the tiny
 * fixture model (test/fixtures/sasrec-tiny, random weights, 37 items) whose items.json maps its
 * ids to the first 37 catalog keys, so the page can still be driven end to end.
 */
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unpackCatalog } from '../../../src/data/catalog-binary.ts';
import { parseModelRegistry } from '../../../src/state/model-registry.ts';

/** The chosen directory and where it came from. */
export interface E2eModels {
  dir: string;
  source: 'repo' | 'tiny-fixture';
  modelId: string;
}

/** The repo's models dir if it holds a usable default SASRec model. */
function repoModels(root: string): E2eModels | undefined {
  const dir = join(root, 'models');
  const registryPath = join(dir, 'registry.json');
  if (!existsSync(registryPath)) return undefined;
  const model = parseModelRegistry(JSON.parse(readFileSync(registryPath, 'utf8'))).defaultSasrec;
  if (!model) return undefined;
  const modelDir = join(dir, model.id);
  const complete = ['manifest.json', 'items.json'].every((f) => existsSync(join(modelDir, f)));
  return complete ? { dir, source: 'repo', modelId: model.id } : undefined;
}

/** A temp models dir with the tiny fixture wired to the bundled catalog's first keys. */
function tinyFixtureModels(root: string): E2eModels {
  const fixture = join(root, 'test/fixtures/sasrec-tiny');
  const manifest = JSON.parse(readFileSync(join(fixture, 'manifest.json'), 'utf8')) as {
    id: string;
    config: { itemCount: number };
  };
  const catalogPath = join(root, 'public/data/ml-latest-small/catalog.bin');
  const catalog = unpackCatalog(new Uint8Array(readFileSync(catalogPath)));
  const keys = catalog.items.slice(0, manifest.config.itemCount).map((item) => item.key); // [N]
  const dir = mkdtempSync(join(tmpdir(), 'localrec-e2e-models-'));
  const modelDir = join(dir, manifest.id);
  mkdirSync(modelDir, { recursive: true });
  for (const name of readdirSync(fixture)) copyFileSync(join(fixture, name), join(modelDir, name));
  writeFileSync(join(modelDir, 'items.json'), JSON.stringify(keys));
  const registry = {
    default: manifest.id,
    models: [{ id: manifest.id, arch: 'sasrec', dataset: 'ml-latest-small', page: true }],
  };
  writeFileSync(join(dir, 'registry.json'), JSON.stringify(registry));
  return { dir, source: 'tiny-fixture', modelId: manifest.id };
}

const chosen = new Map<string, E2eModels>();

/** Pick the models directory for the e2e build (see the module comment); once per root and test file. */
export function e2eModels(root: string): E2eModels {
  let models = chosen.get(root);
  if (!models) {
    models = repoModels(root) ?? tinyFixtureModels(root);
    chosen.set(root, models);
  }
  return models;
}

/** The served SASRec model's item keys (ids 1..N, from items.json) and window length (manifest maxLen). */
export function servedModelFacts(models: E2eModels): { keys: string[]; maxLen: number } {
  const dir = join(models.dir, models.modelId);
  const keys = (JSON.parse(readFileSync(join(dir, 'items.json'), 'utf8')) as unknown[]).map(String); // [N]
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as {
    config: { maxLen: number };
  };
  return { keys, maxLen: manifest.config.maxLen };
}
