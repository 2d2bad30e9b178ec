import { describe, expect, it } from 'vitest';
import { buildDataset } from '../../src/data/build.ts';
import { itemKeysJson, toSasrecPairsText } from '../../src/data/export.ts';
import { readSasrecPairs } from '../../src/data/formats/sequences.ts';

describe('training hand-off files', () => {
  const dataset = buildDataset('t', [
    { user: 'bob', item: 'x', timestamp: 2 },
    { user: 'ann', item: 'y', timestamp: 1 },
    { user: 'bob', item: 'y', timestamp: 1 },
  ]);

  it('writes SASRec pairs with users numbered from 1 in dataset order', () => {
    expect(toSasrecPairsText(dataset.sequences)).toBe('1 2\n2 2\n2 1\n');
  });

  it('round-trips through the SASRec reader and the builder to the same sequences', () => {
    const back = buildDataset('t', readSasrecPairs(toSasrecPairsText(dataset.sequences)));
    expect(back.sequences.map((s) => [...s])).toEqual(dataset.sequences.map((s) => [...s]));
  });

  it('lists original item keys in dense-id order', () => {
    expect(JSON.parse(itemKeysJson(dataset))).toEqual(['x', 'y']);
  });
});
