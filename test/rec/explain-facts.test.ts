import { describe, expect, it } from 'vitest';
import { conceptKey, decadeOf, itemConcepts } from '../../src/rec/concepts.ts';
import { buildItemFacts, sharedConcepts } from '../../src/rec/explain-facts.ts';
import { buildProfile, joinLabels } from '../../src/rec/profile.ts';
import { TINY_CATALOG, tinyItemById } from './catalog-fixture.ts';

describe('concepts', () => {
  it('lists genres, tags and the decade; skips the no-genre placeholder', () => {
    expect(itemConcepts(TINY_CATALOG[1]).map(conceptKey)).toEqual([
      'genre:action',
      'genre:sci-fi',
      'tag:space',
      'tag:sequel',
      'decade:1980s',
    ]);
    expect(itemConcepts(TINY_CATALOG[7])).toEqual([]);
    expect(decadeOf(2000)).toBe('2000s');
    expect(decadeOf(undefined)).toBeUndefined();
  });

  it('does not list a tag that repeats one of the item genres as a second concept', () => {
    // ml-latest-small tags Star Wars (Action, Adventure, Sci-Fi) "sci-fi": the Why panel showed Sci-Fi twice
    const item = { ...TINY_CATALOG[1], genres: ['Action', 'Sci-Fi'], tags: ['sci-fi', 'space', 'ACTION'] };
    expect(itemConcepts(item).map(conceptKey)).toEqual([
      'genre:action',
      'genre:sci-fi',
      'tag:space',
      'decade:1980s',
    ]);
    // the same tag on an item without that genre is kept
    const other = { ...item, genres: ['Comedy'] };
    expect(itemConcepts(other).map(conceptKey)).toContain('tag:sci-fi');
  });
});

describe('profile', () => {
  it('counts concepts over the history and keeps those seen at least twice', () => {
    // history Alien, Aliens, Galaxy Quest, Spaceballs: Sci-Fi 4, space 3, Comedy 2, parody 2, 1980s 2
    const p = buildProfile([1, 2, 3, 7], tinyItemById);
    expect(p.itemsCounted).toBe(4);
    expect(p.concepts.map((c) => [conceptKey(c.concept), c.count])).toEqual([
      ['genre:sci-fi', 4],
      ['tag:space', 3],
      ['genre:comedy', 2],
      ['decade:1980s', 2],
      ['tag:parody', 2],
    ]);
    expect(p.concepts[0].share).toBe(1);
    expect(p.line).toBe('Mostly Sci-Fi and Comedy, often from the 1980s; tags you return to: space, parody.');
  });

  it('says so when there is nothing to profile', () => {
    expect(buildProfile([8], tinyItemById).line).toBe('Not enough history yet for a profile.');
    expect(buildProfile([], tinyItemById).itemsCounted).toBe(0);
  });

  it('joins labels in English', () => {
    expect(joinLabels(['A'])).toBe('A');
    expect(joinLabels(['A', 'B', 'C'])).toBe('A, B and C');
  });
});

describe('explanation facts', () => {
  const profile = buildProfile([1, 2, 3, 7], tinyItemById);
  const model = {
    attention: [
      { itemId: 7, index: 3, weight: 0.6 },
      { itemId: 1, index: 0, weight: 0.4 },
    ],
    occlusion: [
      { itemId: 7, index: 3, drop: 0.9 },
      { itemId: 3, index: 2, drop: 0.5 },
      { itemId: 2, index: 1, drop: 0.1 },
      { itemId: 1, index: 0, drop: -0.2 },
    ],
    baseScore: 3,
  };

  it('cites the top-3 positive occlusion drops with their attention share', () => {
    const f = buildItemFacts(6, model, profile, tinyItemById, { occlusionConsidered: 4, windowLength: 4 });
    expect(f.title).toBe('Scream');
    expect(f.drivers.map((d) => [d.title, d.attention])).toEqual([
      ['Spaceballs', 0.6],
      ['Galaxy Quest', 0],
      ['Aliens', 0],
    ]);
    expect(f.occlusionNote).toBeUndefined();
    // Scream: Horror, Comedy, slasher, 1990s. Comedy is shared with Spaceballs + Galaxy Quest and the
    // profile; 1990s only with Galaxy Quest (1999); Horror with no driver (Alien was not one).
    expect(f.shared.map((s) => [s.concept.label, s.drivers, s.inProfile])).toEqual([
      ['Comedy', [7, 3], true],
      ['1990s', [3], false],
    ]);
  });

  it('never cites a history item whose removal did not lower the score, and notes limited occlusion', () => {
    const negative = { ...model, occlusion: [{ itemId: 1, index: 0, drop: -0.2 }] };
    const f = buildItemFacts(3, negative, profile, tinyItemById, { occlusionConsidered: 1, windowLength: 4 });
    expect(f.drivers).toEqual([]);
    expect(f.occlusionNote).toBe(
      "Occlusion checked the 1 most attended of the 4 items in the model's window.",
    );
    // with no drivers, only profile concepts are shared: Galaxy Quest has Comedy, Sci-Fi, space, parody
    expect(f.shared.map((s) => s.concept.label).sort()).toEqual(['Comedy', 'Sci-Fi', 'parody', 'space']);
    expect(f.shared.every((s) => s.inProfile && s.drivers.length === 0)).toBe(true);
  });

  it('shares nothing for an unknown item', () => {
    expect(sharedConcepts(undefined, [], profile)).toEqual([]);
  });
});
