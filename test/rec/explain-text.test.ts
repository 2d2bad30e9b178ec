import { describe, expect, it } from 'vitest';
import type { ExplanationFacts } from '../../src/rec/explain-facts.ts';
import { conceptPhrase, templateExplanation } from '../../src/rec/explain-text.ts';

const facts: ExplanationFacts = {
  itemId: 6,
  title: 'Scream',
  drivers: [
    { itemId: 7, title: 'Spaceballs', index: 3, drop: 0.9, attention: 0.6 },
    { itemId: 3, title: 'Galaxy Quest', index: 2, drop: 0.5, attention: 0 },
    { itemId: 2, title: 'Aliens', index: 1, drop: 0.1, attention: 0 },
  ],
  attention: [],
  occlusion: [],
  shared: [
    { concept: { kind: 'genre', label: 'Comedy' }, drivers: [7, 3], inProfile: true },
    { concept: { kind: 'decade', label: '1990s' }, drivers: [3], inProfile: false },
    { concept: { kind: 'tag', label: 'slasher' }, drivers: [], inProfile: false },
  ],
  profileLine: '',
};

describe('templateExplanation', () => {
  it('names the two strongest drivers and up to two shared concepts, and lists them as cited', () => {
    const seen = new Set<string>();
    for (let seed = 0; seed < 40; seed++) {
      const e = templateExplanation(facts, seed);
      seen.add(e.text);
      expect(e.text).toContain('Scream');
      expect(e.text).toContain('Spaceballs and Galaxy Quest');
      expect(e.text).toContain('Comedy and the 1990s');
      expect(e.text).not.toContain('Aliens');
      expect(e.text).not.toContain('slasher');
      expect(e.citedItems).toEqual([7, 3]);
      expect(e.citedConcepts.map((c) => c.label)).toEqual(['Comedy', '1990s']);
    }
    expect(seen.size).toBe(3); // every template of the family is used
    expect(templateExplanation(facts, 5).text).toBe(templateExplanation(facts, 5).text);
  });

  it('falls back to drivers only, concepts only, or a plain line', () => {
    const noShared = templateExplanation({ ...facts, shared: [] }, 1);
    expect(noShared.citedConcepts).toEqual([]);
    expect(noShared.text).toMatch(/Spaceballs and Galaxy Quest/);
    const noDrivers = templateExplanation(
      { ...facts, drivers: [], shared: [{ ...facts.shared[0], drivers: [] }] },
      1,
    );
    expect(noDrivers.citedItems).toEqual([]);
    expect(noDrivers.text).toMatch(/Comedy/);
    const nothing = templateExplanation({ ...facts, drivers: [], shared: [] }, 1);
    expect(nothing.text).toBe('Scream fits the pattern of your recent history.');
  });

  it('phrases concepts by kind', () => {
    expect(conceptPhrase({ kind: 'decade', label: '1980s' })).toBe('the 1980s');
    expect(conceptPhrase({ kind: 'tag', label: 'space' })).toBe('“space”');
  });
});
