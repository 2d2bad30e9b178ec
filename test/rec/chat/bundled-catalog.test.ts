/**
 * The chat parser against the real vocabulary of the bundled ml-latest-small catalog (9.7k titles,
 * ~2k tags): the rules must still read everyday requests the same way when tags like "funny",
 * "dark" or "aliens" exist, and titles need a "like" cue.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { unpackCatalog } from '../../../src/data/catalog-binary.ts';
import { mostPopular } from '../../../src/data/catalog.ts';
import { parseRequest } from '../../../src/rec/chat/parse.ts';
import { describeIntent } from '../../../src/rec/chat/reply.ts';
import { buildVocabulary } from '../../../src/rec/chat/vocabulary.ts';

const bin = fileURLToPath(new URL('../../../public/data/ml-latest-small/catalog.bin', import.meta.url));
const catalog = unpackCatalog(new Uint8Array(readFileSync(bin)));
const byPopularity = Array.from(mostPopular(catalog.popularity), (id) => catalog.items[id - 1]);
const vocab = buildVocabulary(catalog.items, byPopularity);

describe('chat parser on the bundled ml-latest-small catalog', () => {
  it.each([
    ['something like Alien but funnier', ['like Alien (1979)', 'more Comedy'], []],
    ['no horror', ['no Horror'], []],
    ['from the 90s', ['only the 1990s'], []],
    ['Something like The Matrix, but from the eighties', ['like The Matrix (1999)', 'only the 1980s'], []],
    ['like aliens', ['like Aliens (1986)'], []],
    ['nothing scary or violent', ['no Horror and “violent”'], []],
    ['a funny animated movie for my kids', ['more Comedy, Animation and Children'], []],
    // the longest match wins: the catalog has the tag "romantic comedy"
    ['romantic comedies from the 2000s please', ['only the 2000s', 'more “romantic comedy”'], []],
    ['no musicals and no westerns', ['no Musical and Western'], []],
    ['something like toy story but less childish', ['like Toy Story (1995)'], ['childish']],
    ['qwzx', [], ['qwzx']],
  ])('%j', (text, understood, ignored) => {
    const intent = parseRequest(text, vocab);
    expect(describeIntent(intent)).toEqual(understood);
    expect(intent.ignored).toEqual(ignored);
  });
});
