import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { modelFiles, publicModelPaths } from '../../src/build/serve-models.ts';
import { ModelRegistryError } from '../../src/state/model-registry.ts';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A models/ dir: registry.json + model "m" (manifest listing weights.safetensors, items.json, a stray file). */
function modelsDir(registry: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'serve-models-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'm'));
  mkdirSync(join(dir, 'unlisted'));
  const manifest = { files: { 'weights.safetensors': {} }, tensors: [{ file: 'weights.safetensors' }] };
  writeFileSync(join(dir, 'm', 'manifest.json'), JSON.stringify(manifest));
  for (const name of ['weights.safetensors', 'items.json', 'checkpoint.pt'])
    writeFileSync(join(dir, 'm', name), 'x');
  writeFileSync(join(dir, 'unlisted', 'manifest.json'), '{}');
  writeFileSync(join(dir, 'registry.json'), JSON.stringify(registry));
  return dir;
}

describe('serve-models plugin file selection', () => {
  it('publishes the registry and only the files a page model needs', () => {
    const dir = modelsDir({ models: [{ id: 'm', arch: 'sasrec', page: true }, { id: 'unlisted' }] });
    expect(modelFiles(join(dir, 'm')).sort()).toEqual(['items.json', 'manifest.json', 'weights.safetensors']);
    expect(publicModelPaths(dir).sort()).toEqual([
      'm/items.json',
      'm/manifest.json',
      'm/weights.safetensors',
      'registry.json',
    ]);
  });

  it('publishes nothing without a registry and rejects a malformed one', () => {
    const empty = mkdtempSync(join(tmpdir(), 'serve-models-'));
    dirs.push(empty);
    expect(publicModelPaths(empty)).toEqual([]);
    const benchmarkOnly = modelsDir({ models: [{ id: 'm', arch: 'sasrec' }] });
    expect(publicModelPaths(benchmarkOnly)).toEqual(['registry.json']);
    const bad = modelsDir({ models: [{ id: '../etc', page: true }] });
    expect(() => publicModelPaths(bad)).toThrow(ModelRegistryError);
  });
});
