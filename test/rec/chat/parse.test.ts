import { describe, expect, it } from 'vitest';
import type { CatalogItem } from '../../../src/data/types.ts';
import { conceptKey } from '../../../src/rec/concepts.ts';
import { emptyIntent, mergeIntents, type ChatIntent } from '../../../src/rec/chat/intent.ts';
import { parseRequest } from '../../../src/rec/chat/parse.ts';
import { pluralForms, titleVariants, words } from '../../../src/rec/chat/text.ts';
import { buildVocabulary } from '../../../src/rec/chat/vocabulary.ts';
import { TINY_CATALOG } from '../catalog-fixture.ts';

const MATRIX: CatalogItem = {
  id: 9,
  key: 'i',
  title: 'Matrix, The',
  year: 1999,
  genres: ['Action', 'Sci-Fi'],
  tags: [],
};
const SE7EN: CatalogItem = {
  id: 10,
  key: 'j',
  title: 'Seven (a.k.a. Se7en)',
  year: 1995,
  genres: ['Thriller'],
  tags: [],
};
const vocab = buildVocabulary([...TINY_CATALOG, MATRIX, SE7EN]);

/** The intent in a compact, hand-checkable form. */
function summary(intent: ChatIntent): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (intent.similarTo.length > 0) out.like = intent.similarTo.map((i) => i.title);
  for (const [p, list] of Object.entries(intent.concepts)) if (list.length > 0) out[p] = list.map(conceptKey);
  if (intent.yearMin !== undefined) out.yearMin = intent.yearMin;
  if (intent.yearMax !== undefined) out.yearMax = intent.yearMax;
  if (intent.ignored.length > 0) out.ignored = intent.ignored;
  if (intent.reset) out.reset = true;
  return out;
}

const parse = (text: string): Record<string, unknown> => summary(parseRequest(text, vocab));

describe('chat text normalisation', () => {
  it('splits into lower-case words, dropping apostrophes and accents', () => {
    expect(words("Sci-Fi from the '90's, Amélie!")).toEqual(['sci', 'fi', 'from', 'the', '90s', 'amelie']);
  });
  it('spells plurals and title variants', () => {
    expect(pluralForms('comedy')).toEqual(['comedies']);
    expect(pluralForms('film noir')).toEqual(['film noirs']);
    expect(pluralForms('heist')).toEqual(['heists']);
    expect(pluralForms('aliens')).toEqual([]);
    expect(titleVariants('Matrix, The')).toEqual(['the matrix', 'matrix']);
    expect(titleVariants('Seven (a.k.a. Se7en)')).toEqual(['seven', 'se7en']);
  });
});

describe('parseRequest', () => {
  it.each([
    ['something like Alien but funnier', { like: ['Alien'], boost: ['genre:comedy'] }],
    ['no horror', { exclude: ['genre:horror'] }],
    ['from the 90s', { require: ['decade:1990s'] }],
    ['Something from the nineties please', { require: ['decade:1990s'] }],
    ["90's", { require: ['decade:1990s'] }],
    ['1980s sci fi', { require: ['decade:1980s'], boost: ['genre:sci-fi'] }],
    [
      'No horror or romance, from the nineties',
      { exclude: ['genre:horror', 'genre:romance'], require: ['decade:1990s'] },
    ],
    ['only comedies', { require: ['genre:comedy'] }],
    ['nothing but action', { require: ['genre:action'] }],
    ['not too scary', { demote: ['genre:horror'] }],
    ['less crime', { demote: ['genre:crime'] }],
    ["I don't like horror", { exclude: ['genre:horror'] }],
    ['nothing scary', { exclude: ['genre:horror'] }],
    ['more space and heists', { boost: ['tag:space', 'tag:heist'] }],
    ['funny action movies', { boost: ['genre:comedy', 'genre:action'] }],
    ['something like a comedy', { boost: ['genre:comedy'] }],
    ['like galaxy quest, without sci-fi', { like: ['Galaxy Quest'], exclude: ['genre:sci-fi'] }],
    ['similar to the matrix', { like: ['Matrix, The'] }],
    ['like Se7en', { like: ['Seven (a.k.a. Se7en)'] }],
    ['like Heat and Scream', { like: ['Heat', 'Scream'] }],
    ['no horror. comedy', { exclude: ['genre:horror'], boost: ['genre:comedy'] }],
    ['no horror but a parody', { exclude: ['genre:horror'], boost: ['tag:parody'] }],
    ['no horror with romance', { exclude: ['genre:horror'], boost: ['genre:romance'] }],
    ['after 1990', { yearMin: 1991 }],
    ['before 1990', { yearMax: 1989 }],
    ['since 1995 until 1999', { yearMin: 1995, yearMax: 1999 }],
    ['gimme zombies', { ignored: ['gimme', 'zombies'] }],
    ['no zombies, horror', { ignored: ['zombies'], boost: ['genre:horror'] }],
    ['start over', { reset: true }],
    ['heat', { ignored: ['heat'] }],
    ['', {}],
  ])('%j', (text, expected) => {
    expect(parse(text)).toEqual(expected);
  });
});

describe('mergeIntents', () => {
  const turn = (text: string): ChatIntent => parseRequest(text, vocab);

  it('adds turns up; a later turn overrides the same concept; ignored words are per turn', () => {
    let total = mergeIntents(emptyIntent(), turn('like Alien, no horror, blah'));
    total = mergeIntents(total, turn('from the 90s'));
    expect(summary(total)).toEqual({ like: ['Alien'], exclude: ['genre:horror'], require: ['decade:1990s'] });
    total = mergeIntents(total, turn('more horror, like Heat'));
    expect(summary(total)).toEqual({ like: ['Heat'], boost: ['genre:horror'], require: ['decade:1990s'] });
  });

  it('starts over on reset, keeping what the same turn asked', () => {
    const total = mergeIntents(
      mergeIntents(emptyIntent(), turn('no horror')),
      turn('start over. only comedy'),
    );
    expect(summary(total)).toEqual({ require: ['genre:comedy'], reset: true });
  });
});
