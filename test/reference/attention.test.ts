import { describe, expect, it } from 'vitest';
import { attentionReference } from '../../src/gpu/reference/attention.ts';
import type { AttentionParams } from '../../src/gpu/ops.ts';

const f32 = (values: number[]) => Float32Array.from(values);
const base: AttentionParams = {
  queries: 2,
  keys: 2,
  heads: 1,
  kvHeads: 1,
  headDim: 2,
  queryStart: 0,
  scale: 1,
};
// Two keys by hand: q = [1, 0] twice; k0 = [1, 0], k1 = [0, 1]; v0 = [1, 2], v1 = [3, 4].
const q = f32([1, 0, 1, 0]); // [2, 2]
const k = f32([1, 0, 0, 1]); // [2, 2]
const v = f32([1, 2, 3, 4]); // [2, 2]
// Query 1 sees both keys: scores [1, 0] → weights [e/(e+1), 1/(e+1)].
const w1 = 1 / (Math.E + 1);
const secondRow = [1 + 2 * w1, 2 + 2 * w1]; // = w0·v0 + w1·v1

describe('attentionReference', () => {
  it('applies the causal mask: query 0 sees key 0 only, query 1 both', () => {
    const out = attentionReference(q, k, v, base);
    expect(Array.from(out.subarray(0, 2))).toEqual([1, 2]);
    expect(out[2]).toBeCloseTo(secondRow[0], 6);
    expect(out[3]).toBeCloseTo(secondRow[1], 6);
  });

  it('applies the key-padding mask: rows ≥ keys are never read', () => {
    const poisoned = f32([1, 2, NaN, NaN]); // row 1 is padding
    const out = attentionReference(q, k, poisoned, { ...base, keys: 1 });
    expect(Array.from(out)).toEqual([1, 2, 1, 2]);
  });

  it('offsets queries by queryStart (one decode step against a cache)', () => {
    const out = attentionReference(f32([1, 0]), k, v, { ...base, queries: 1, queryStart: 1 });
    expect(out[0]).toBeCloseTo(secondRow[0], 6);
    expect(out[1]).toBeCloseTo(secondRow[1], 6);
  });

  it('applies the scale before the softmax', () => {
    // scale 0 → uniform weights over both keys → mean of v rows.
    const out = attentionReference(f32([1, 0]), k, v, { ...base, queries: 1, queryStart: 1, scale: 0 });
    expect(Array.from(out)).toEqual([2, 3]);
  });

  it('shares one kv head between query heads (GQA)', () => {
    // heads 2, kvHeads 1, headDim 1: k = [0, ln 3], v = [4, 8].
    const p: AttentionParams = {
      queries: 1,
      keys: 2,
      heads: 2,
      kvHeads: 1,
      headDim: 1,
      queryStart: 1,
      scale: 1,
    };
    const out = attentionReference(f32([1, -1]), f32([0, Math.log(3)]), f32([4, 8]), p);
    expect(out[0]).toBeCloseTo(0.25 * 4 + 0.75 * 8, 5); // head 0: weights [1/4, 3/4]
    expect(out[1]).toBeCloseTo(0.75 * 4 + 0.25 * 8, 5); // head 1: weights [3/4, 1/4]
  });

  it('maps query heads 0,1 → kv head 0 and 2,3 → kv head 1', () => {
    // One key only: each head's output is its kv head's value row.
    const p: AttentionParams = {
      queries: 1,
      keys: 1,
      heads: 4,
      kvHeads: 2,
      headDim: 1,
      queryStart: 0,
      scale: 1,
    };
    const out = attentionReference(f32([5, 6, 7, 8]), f32([1, 1]), f32([10, 20]), p);
    expect(Array.from(out)).toEqual([10, 10, 20, 20]);
  });
});
