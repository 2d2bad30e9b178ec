import { describe, expect, it } from 'vitest';
import { ModelRegistryError, parseModelRegistry } from '../../src/state/model-registry.ts';

describe('parseModelRegistry', () => {
  it('picks the named default SASRec page model, else the first SASRec page model', () => {
    const models = [
      { id: 'llm', arch: 'llama', page: true },
      { id: 'bench', arch: 'sasrec', dataset: 'ml-1m', description: 'benchmark only' },
      { id: 'a', arch: 'sasrec', dataset: 'ml-latest-small', page: true },
      { id: 'b', arch: 'sasrec', page: true },
    ];
    expect(parseModelRegistry({ default: 'b', models }).defaultSasrec?.id).toBe('b');
    expect(parseModelRegistry({ models }).defaultSasrec?.id).toBe('a');
    expect(parseModelRegistry(models).defaultSasrec?.dataset).toBe('ml-latest-small');
    expect(parseModelRegistry({ default: 'bench', models }).defaultSasrec?.id).toBe('a');
    expect(parseModelRegistry({ models }).pageModels.map((m) => m.id)).toEqual(['llm', 'a', 'b']);
    expect(parseModelRegistry({ models: [{ id: 'llm', arch: 'llama' }] }).defaultSasrec).toBeUndefined();
  });

  it('rejects entries without a directory-safe id', () => {
    expect(() => parseModelRegistry({ models: [{ arch: 'sasrec' }] })).toThrow(ModelRegistryError);
    expect(() => parseModelRegistry({ models: [{ id: 'a/b' }] })).toThrow(/directory names/);
  });
});
