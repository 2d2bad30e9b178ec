import { describe, expect, it } from 'vitest';
import {
  meanPairwiseJaccard,
  median,
  summarizeExplanations,
  type ExplanationRecord,
} from '../../src/rec/explain-metrics.ts';
import { buildProfile } from '../../src/rec/profile.ts';
import { tinyItemById } from './catalog-fixture.ts';

const profile = buildProfile([1, 2, 3, 7], tinyItemById); // Sci-Fi, space, Comedy, 1980s, parody
const record = (over: Partial<ExplanationRecord>): ExplanationRecord => ({
  itemId: 6,
  text: 'a b c',
  source: 'llm',
  passedCheck: true,
  citedItems: [],
  citedConcepts: [],
  occlusionTop3: [7, 3, 2],
  profile,
  ms: 1,
  ...over,
});

describe('explanation metrics', () => {
  it('computes every ratio by hand', () => {
    const records = [
      // Scream: Comedy is true of the item and in the profile → matched; cites 7 (top-3) and 1 (not)
      record({
        citedItems: [7, 1],
        citedConcepts: [{ kind: 'genre', label: 'Comedy' }],
        text: 'x y z',
        ms: 4,
      }),
      // Scream: Horror is true of the item, not of the user (profile / cited items lack it) → not matched
      record({ citedConcepts: [{ kind: 'genre', label: 'Horror' }], text: 'x y', ms: 2 }),
      // Scream: Sci-Fi is not true of Scream → hallucinated; also failed check
      record({
        citedConcepts: [{ kind: 'genre', label: 'Sci-Fi' }],
        passedCheck: false,
        ms: 9,
        source: 'template',
      }),
    ];
    const s = summarizeExplanations(records, tinyItemById);
    expect(s.count).toBe(3);
    expect(s.llmWritten).toBe(2);
    expect(s.hallucinationRate).toBeCloseTo(1 / 3, 10);
    expect(s.faithfulness).toBe(0.5);
    expect(s.conceptMatching).toBeCloseTo(1 / 3, 10);
    // three singleton sets of different concepts → Jaccard 0 for every pair
    expect(s.conceptOverlap).toBe(0);
    // texts "x y z", "x y", "a b c": unigrams 8 total, distinct {x,y,z,a,b,c} = 6
    expect(s.distinct1).toBe(6 / 8);
    // bigrams: xy yz | xy | ab bc → 5 total, 4 distinct
    expect(s.distinct2).toBe(4 / 5);
    expect(s.medianWords).toBe(3);
    expect(s.medianMs).toBe(4);
  });

  it('Jaccard and median edge cases', () => {
    expect(meanPairwiseJaccard([new Set(['a', 'b']), new Set(['b'])])).toBe(0.5);
    expect(meanPairwiseJaccard([new Set()])).toBeNull();
    expect(median([3, 1, 2, 10])).toBe(2.5);
    expect(median([])).toBe(0);
  });

  it('reports null ratios when nothing is cited', () => {
    const s = summarizeExplanations([record({})], tinyItemById);
    expect(s).toMatchObject({
      faithfulness: null,
      conceptMatching: null,
      conceptOverlap: null,
      hallucinationRate: 0,
    });
  });
});
