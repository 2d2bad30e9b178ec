/**
 * src/rec/interest.ts: the TALLRec interest prompt in both layouts (hand-built token ids), P(yes) from a logits row,
 * ROC AUC (hand-counted pairs, ties), named errors for bad manifests and item ids.
 */
import { describe, expect, it } from 'vitest';
import { ItemTokenError } from '../../src/rec/item-tokens.ts';
import {
  InterestManifestError,
  interestPrompt,
  parseInterestManifest,
  rocAuc,
  yesProbability,
} from '../../src/rec/interest.ts';

const manifest = parseInterestManifest({
  baseVocab: 10,
  itemCount: 5,
  frames: { 'liked:': [2, 3], 'disliked:': [4], 'target:': [5], 'answer:': [6, 7] },
  answerIds: [8, 9],
  extra: 'ignored',
});

describe('interestPrompt', () => {
  it('puts liked (> 3) then disliked history item tokens, the target token and the answer frame', () => {
    const history = [
      { item: 1, rating: 5 },
      { item: 2, rating: 3 },
      { item: 5, rating: 4 },
      { item: 3, rating: 1 },
    ];
    // item i → 10 + i − 1: liked 1, 5 → 10, 14; disliked 2, 3 → 11, 12; target 4 → 13
    expect(Array.from(interestPrompt(manifest, history, 4))).toEqual([
      1, 2, 3, 10, 14, 4, 11, 12, 5, 13, 6, 7,
    ]);
  });

  it('marks each history item (oldest first) with the yes / no token in the marked layout', () => {
    const marked = parseInterestManifest({
      layout: 'marked',
      baseVocab: 10,
      itemCount: 5,
      frames: { 'history:': [2], 'target:': [5], 'answer:': [6, 7] },
      answerIds: [8, 9],
    });
    const history = [
      { item: 3, rating: 4 },
      { item: 1, rating: 3 },
    ];
    // item 3 → 12 liked → yes 8; item 1 → 10 not liked → no 9; target 5 → 14
    expect(Array.from(interestPrompt(marked, history, 5))).toEqual([1, 2, 12, 8, 10, 9, 5, 14, 6, 7]);
  });

  it('names an item outside the catalog', () => {
    expect(() => interestPrompt(manifest, [{ item: 6, rating: 5 }], 1)).toThrow(ItemTokenError);
    expect(() => interestPrompt(manifest, [], 0)).toThrow(/outside 1\.\.5/);
  });
});

describe('yesProbability', () => {
  it('is the sigmoid of logit(yes) − logit(no)', () => {
    const row = new Float32Array(15); // [vocab]
    row[8] = 1.5;
    row[9] = 0.5;
    expect(yesProbability(manifest, row)).toBeCloseTo(1 / (1 + Math.exp(-1)), 6);
    row[9] = 1.5;
    expect(yesProbability(manifest, row)).toBe(0.5);
  });
});

describe('rocAuc', () => {
  it('counts positive-over-negative pairs, ties half', () => {
    // positives 0.9, 0.4; negatives 0.5, 0.1: pairs won 0.9>0.5, 0.9>0.1, 0.4>0.1 = 3 of 4
    expect(rocAuc([0.9, 0.5, 0.4, 0.1], [1, 0, 1, 0])).toBe(0.75);
    // one tie between a positive and a negative: (1 + 0.5) / 2
    expect(rocAuc([0.5, 0.5, 0.7], [1, 0, 0])).toBe(0.25);
    expect(rocAuc([0.3, 0.2], [1, 1])).toBe(0.5);
  });
});

describe('parseInterestManifest', () => {
  it('names what is missing', () => {
    expect(() => parseInterestManifest({ baseVocab: 10 })).toThrow(InterestManifestError);
    expect(() => parseInterestManifest({ baseVocab: 10 })).toThrow(/itemCount/);
    const grouped = { baseVocab: 10, itemCount: 5, answerIds: [8, 9], frames: { 'liked:': [2] } };
    expect(() => parseInterestManifest({ ...grouped, layout: 'marked' })).toThrow(/frames\.history:/);
    expect(() => parseInterestManifest({ ...grouped, layout: 'rows' })).toThrow(InterestManifestError);
  });
});
