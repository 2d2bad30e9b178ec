import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { unusedModelFiles } from '../../src/build/precache.ts';
import { fixtureDir } from '../protocol/sasrec-fixture.ts';

describe('unusedModelFiles (precache trimmed to what the page loads)', () => {
  it('drops model.onnx, goldens.json and unlisted extras of a model, keeps manifest, weights and items', () => {
    const manifest = readFileSync(`${fixtureDir}manifest.json`, 'utf8'); // lists weights, model.onnx, goldens
    const files = [
      'index.html',
      'models/registry.json',
      'models/tiny/manifest.json',
      'models/tiny/weights.safetensors',
      'models/tiny/items.json',
      'models/tiny/model.onnx',
      'models/tiny/goldens.json',
      'models/tiny/train-log.json',
      'models/no-manifest/model.onnx',
    ].map((name) => ({ name, bytes: name.endsWith('tiny/manifest.json') ? manifest : 'x' }));
    expect([...unusedModelFiles(files)].sort()).toEqual([
      'models/tiny/goldens.json',
      'models/tiny/model.onnx',
      'models/tiny/train-log.json',
    ]);
  });
});
