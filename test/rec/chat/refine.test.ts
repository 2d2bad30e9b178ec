import { describe, expect, it } from 'vitest';
import { emptyIntent, mergeIntents, type ChatIntent } from '../../../src/rec/chat/intent.ts';
import { parseRequest } from '../../../src/rec/chat/parse.ts';
import { jaccard, refineCandidates, type Candidate } from '../../../src/rec/chat/refine.ts';
import { fitLine, replyTo } from '../../../src/rec/chat/reply.ts';
import { buildVocabulary } from '../../../src/rec/chat/vocabulary.ts';
import { TINY_CATALOG, tinyItemById } from '../catalog-fixture.ts';

const vocab = buildVocabulary(TINY_CATALOG);
const intentOf = (text: string): ChatIntent => mergeIntents(emptyIntent(), parseRequest(text, vocab));

/** SASRec-like scores for ids 2..7: mean 0, std 1 after z-scoring: [2, 1, 0, 0, -1, -2] / sqrt(10/6). */
const SCORES: [number, number][] = [
  [2, 2],
  [3, 1],
  [4, 0],
  [5, 0],
  [6, -1],
  [7, -2],
];
const candidates: Candidate[] = SCORES.map(([id, score]) => ({ item: tinyItemById(id)!, score }));
const titles = (text: string, limit = 10): string[] =>
  refineCandidates(candidates, intentOf(text), limit).items.map((r) => r.item.title);

describe('refineCandidates', () => {
  it('keeps the SASRec order when nothing is asked', () => {
    expect(titles('')).toEqual(['Aliens', 'Galaxy Quest', 'Clueless', 'Heat', 'Scream', 'Spaceballs']);
  });

  it('excludes, requires (one per kind) and bounds years', () => {
    // Scream (Horror) goes; Alien is not a candidate
    expect(titles('no horror')).toEqual(['Aliens', 'Galaxy Quest', 'Clueless', 'Heat', 'Spaceballs']);
    // 1990s: Galaxy Quest 1999, Clueless 1995, Heat 1995, Scream 1996
    expect(titles('from the 90s')).toEqual(['Galaxy Quest', 'Clueless', 'Heat', 'Scream']);
    expect(titles('only comedy or crime from the 90s, no horror')).toEqual([
      'Galaxy Quest',
      'Clueless',
      'Heat',
    ]);
    expect(titles('before 1990')).toEqual(['Aliens', 'Spaceballs']);
  });

  it('boosts by one standard deviation per concept and demotes likewise', () => {
    const std = Math.sqrt(10 / 6);
    const r = refineCandidates(candidates, intentOf('funnier'), 10);
    // Comedy: Galaxy Quest 1/std + 1, Clueless 0 + 1, Scream −1/std + 1, Spaceballs −2/std + 1
    expect(r.items.map((x) => [x.item.title, x.adjusted])).toEqual([
      ['Galaxy Quest', 1 / std + 1],
      ['Aliens', 2 / std],
      ['Clueless', 1],
      ['Scream', -1 / std + 1],
      ['Heat', 0],
      ['Spaceballs', -2 / std + 1],
    ]);
    // less Sci-Fi: Aliens 2/std − 1 ≈ 0.55 stays first; Galaxy Quest 1/std − 1 < 0 falls below Clueless, Heat (0)
    expect(titles('less sci-fi', 3)).toEqual(['Aliens', 'Clueless', 'Heat']);
  });

  it('favours items like the anchor (concept Jaccard) and drops the anchor itself', () => {
    // Alien: horror, sci-fi, space, 1970s. Aliens shares sci-fi+space of 7 keys (2/7);
    // Galaxy Quest sci-fi+space of 7 (2/7); Scream horror of 7 (1/7); Spaceballs sci-fi of 7 (1/7).
    const std = Math.sqrt(10 / 6);
    const r = refineCandidates(candidates, intentOf('like Alien but funnier'), 3);
    expect(r.items.map((x) => [x.item.title, x.adjusted])).toEqual([
      ['Galaxy Quest', 1 / std + 1 + (2 * 2) / 7],
      ['Aliens', 2 / std + (2 * 2) / 7],
      ['Clueless', 1],
    ]);
    const withAnchor = [{ item: tinyItemById(1)!, score: 5 }, ...candidates];
    expect(
      refineCandidates(withAnchor, intentOf('like Alien'), 10).items.map((x) => x.item.id),
    ).not.toContain(1);
    expect(jaccard(new Set(), new Set())).toBe(0);
  });
});

describe('why a refined item fits', () => {
  it('names the asked-for concepts it has and what it shares with the anchor', () => {
    const r = refineCandidates(candidates, intentOf('like Alien but funnier from the 90s'), 10);
    expect(Object.fromEntries(r.items.map((x) => [x.item.title, fitLine(x)]))).toEqual({
      'Galaxy Quest': 'has Comedy and the 1990s; shares Sci-Fi and “space” with Alien (1979)',
      Clueless: 'has Comedy and the 1990s',
      Heat: 'has the 1990s',
      Scream: 'has Comedy and the 1990s; shares Horror with Alien (1979)',
    });
    expect(fitLine(refineCandidates(candidates, intentOf(''), 1).items[0])).toBe('');
  });
});

describe('replyTo', () => {
  it('says what was understood, what fits, and what was ignored', () => {
    const intent = intentOf('something like Alien but funnier, no horror, from the 90s please zzz');
    const refined = refineCandidates(candidates, intent, 2);
    expect(replyTo(intent, refined)).toBe(
      'Like Alien (1979); only the 1990s; more Comedy; no Horror: 3 of the top 6 fit, best 2 shown. I did not use: “zzz”.',
    );
  });

  it('says so when nothing fits, when nothing was understood, and on reset', () => {
    const none = intentOf('only romance and no comedy');
    expect(replyTo(none, refineCandidates(candidates, none, 5))).toBe(
      'Only Romance; no Comedy: nothing among the top 6 fits all of that — drop a filter or say “start over”.',
    );
    expect(replyTo(intentOf('zombies'), undefined)).toBe(
      'I found no genre, tag, decade or title of this catalog in that; try “no horror”, “from the 90s” or “like <title>”. I did not use: “zombies”.',
    );
    expect(replyTo(intentOf('start over'), undefined)).toBe('Starting over: your plain recommendations.');
    expect(replyTo(intentOf('no horror'), undefined)).toBe(
      'No Horror. The list follows once the recommendations are ready.',
    );
    expect(replyTo(intentOf('no horror'), refineCandidates([], intentOf('no horror'), 5))).toBe(
      'No Horror. Add a few movies first: there is nothing to refine yet.',
    );
    expect(replyTo(intentOf('more “space”'), refineCandidates(candidates, intentOf('more space'), 1))).toBe(
      'More “space”: 6 of the top 6 fit, best 1 shown.',
    );
  });
});
