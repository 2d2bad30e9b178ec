import { describe, expect, it } from 'vitest';
import { ModelRegistryError, parseModelRegistry } from '../../src/state/model-registry.ts';

describe('parseModelRegistry', () => {
  it('picks the named default SASRec model, else the first SASRec one', () => {
    const models = [
      { id: 'llm', arch: 'llama' },
      { id: 'a', arch: 'sasrec', dataset: 'ml-1m' },
      { id: 'b', arch: 'sasrec' },
    ];
    expect(parseModelRegistry({ default: 'b', models }).defaultSasrec?.id).toBe('b');
    expect(parseModelRegistry({ models }).defaultSasrec?.id).toBe('a');
    expect(parseModelRegistry(models).defaultSasrec?.dataset).toBe('ml-1m');
    expect(parseModelRegistry({ models: [{ id: 'llm', arch: 'llama' }] }).defaultSasrec).toBeUndefined();
  });

  it('rejects entries without a directory-safe id', () => {
    expect(() => parseModelRegistry({ models: [{ arch: 'sasrec' }] })).toThrow(ModelRegistryError);
    expect(() => parseModelRegistry({ models: [{ id: 'a/b' }] })).toThrow(/directory names/);
  });
});
