import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { modelFilesNotPrecached } from '../../src/build/precache.ts';
import { fixtureDir } from '../protocol/sasrec-fixture.ts';

describe('modelFilesNotPrecached (the model store keeps the weights, not the service worker)', () => {
  it('precaches only manifest.json of a model directory: weights and items.json are in the model store', () => {
    const manifest = readFileSync(`${fixtureDir}manifest.json`, 'utf8');
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
    expect([...modelFilesNotPrecached(files)].sort()).toEqual([
      'models/tiny/goldens.json',
      'models/tiny/items.json',
      'models/tiny/model.onnx',
      'models/tiny/train-log.json',
      'models/tiny/weights.safetensors',
    ]);
  });
});
