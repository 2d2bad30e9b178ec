import { describe, expect, it } from 'vitest';
import { attributeItem, rowCosine } from '../../src/protocol/sasrec-attribution.ts';

// item embeddings, d = 2: id 0 padding, 1 = x-axis, 2 = y-axis, 3 = diagonal, 4 = −x
const itemEmb = Float32Array.from([0, 0, 1, 0, 0, 1, 1, 1, -1, 0]); // [5, 2]

describe('rowCosine', () => {
  it('is 1 for parallel, 0 for orthogonal or zero rows, −1 for opposite', () => {
    expect(rowCosine(itemEmb, 2, 1, 1)).toBeCloseTo(1, 6);
    expect(rowCosine(itemEmb, 2, 1, 2)).toBe(0);
    expect(rowCosine(itemEmb, 2, 1, 3)).toBeCloseTo(Math.SQRT1_2, 6);
    expect(rowCosine(itemEmb, 2, 1, 4)).toBeCloseTo(-1, 6);
    expect(rowCosine(itemEmb, 2, 0, 1)).toBe(0);
  });
});

describe('attributeItem', () => {
  const input = {
    itemEmb,
    d: 2,
    window: Int32Array.from([2, 3, 4]),
    attention: Float32Array.from([0.5, 0.3, 0.2]),
    windowStart: 10,
  };

  it('weights attention by positive cosine and normalises', () => {
    // item 1: raw = [0.5·0, 0.3·0.7071, 0.2·0] → only history item 3 (history index 11), weight 1
    const got = attributeItem(input, 1, 3);
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ itemId: 3, index: 11 });
    expect(got[0].weight).toBeCloseTo(1, 6);
  });

  it('splits between several similar items, strongest first, and respects top', () => {
    // item 3 (diagonal): raw = [0.5·0.7071, 0.3·1, 0.2·0] = [0.35355, 0.3, 0] → shares 0.5410, 0.4590
    const got = attributeItem(input, 3, 3);
    expect(got.map((e) => e.itemId)).toEqual([2, 3]);
    expect(got[0].weight).toBeCloseTo(0.35355 / 0.65355, 4);
    expect(got[1].weight).toBeCloseTo(0.3 / 0.65355, 4);
    expect(attributeItem(input, 3, 1).map((e) => e.itemId)).toEqual([2]);
  });

  it('falls back to plain attention when nothing attended resembles the item', () => {
    const onlyOpposite = {
      ...input,
      window: Int32Array.from([4, 4]),
      attention: Float32Array.from([0.4, 0.6]),
    };
    const got = attributeItem(onlyOpposite, 1, 2);
    expect(got.map((e) => e.index)).toEqual([11, 10]);
    expect(got[0].weight).toBeCloseTo(0.6, 6);
  });
});
