import { describe, expect, it } from 'vitest';
import { downloadPicked, groupByModel } from '../../src/store/url-load.ts';
import { ORIGIN, fixtureFetch } from '../protocol/sasrec-fixture.ts';

describe('downloadPicked', () => {
  it('reads a directory URL as a bundle: manifest, weight file and items.json', async () => {
    const requested: string[] = [];
    const files = await downloadPicked('models/tiny/', `${ORIGIN}/index.html`, {
      fetch: fixtureFetch(requested),
    });
    expect(files.map((f) => f.name)).toEqual(['manifest.json', 'weights.safetensors', 'items.json']);
    expect(files[1].size).toBe(5768);
  });

  it('reads any other URL as one file named after its path', async () => {
    const files = await downloadPicked(`${ORIGIN}/models/tiny/goldens.json?v=2`, ORIGIN, {
      fetch: fixtureFetch([]),
    });
    expect(files.map((f) => f.name)).toEqual(['goldens.json']);
  });
});

describe('groupByModel', () => {
  it('groups sorted keys by model', () => {
    const keys = [
      { model: 'a', file: 'items.json' },
      { model: 'a', file: 'manifest.json' },
      { model: 'b', file: 'model.gguf' },
    ];
    expect(groupByModel(keys)).toEqual([
      { model: 'a', files: ['items.json', 'manifest.json'] },
      { model: 'b', files: ['model.gguf'] },
    ]);
  });
});
