/**
 * What the chat parser can recognise, built from the catalog alone: every genre (with everyday
 * synonyms and plurals), every decade, every item tag, and every title (with "The"/a.k.a.
 * variants). Nothing outside this vocabulary can reach a filter, a boost or a reply.
 */
import type { CatalogItem } from '../../data/types.ts';
import { conceptKey, itemConcepts, type Concept } from '../concepts.ts';
import { phraseKey, pluralForms, titleVariants, words } from './text.ts';

/** Lookup tables of the parser; keys are `phraseKey`s. */
export interface ChatVocabulary {
  /** phrase → concept (genres and their synonyms win over tags of the same spelling) */
  concepts: Map<string, Concept>;
  /** comparative word → the genre it asks more of ("funnier" → Comedy) */
  comparatives: Map<string, Concept>;
  /** title variant → item (the preferred item when several share a title) */
  titles: Map<string, CatalogItem>;
  /** longest phrase in words, to bound the greedy match */
  maxWords: number;
}

/** Everyday words for MovieLens genres (only used for genres the catalog has). */
const GENRE_SYNONYMS: Record<string, string[]> = {
  Action: ['action packed'],
  Adventure: ['adventurous'],
  Animation: ['animated', 'cartoon', 'anime'],
  Children: ['childrens', 'kids', 'kid', 'family'],
  Comedy: ['funny', 'humor', 'humour', 'humorous', 'laughs', 'comedic'],
  Crime: ['gangster', 'criminal'],
  Documentary: ['doc', 'docs'],
  Drama: ['dramatic'],
  'Film-Noir': ['noir'],
  Horror: ['scary', 'frightening', 'spooky'],
  Musical: ['musicals'],
  Romance: ['romantic', 'love story', 'romcom'],
  'Sci-Fi': ['scifi', 'science fiction', 'sf'],
  Thriller: ['suspense', 'suspenseful'],
  Western: ['cowboy'],
};

/** Comparative words and the genre they ask more of. */
const GENRE_COMPARATIVES: Record<string, string[]> = {
  Comedy: ['funnier', 'funniest', 'lighter'],
  Horror: ['scarier', 'scariest', 'creepier'],
  Romance: ['more romantic'],
  Action: ['more action'],
};

const DECADE_WORDS = [
  'twenties',
  'thirties',
  'forties',
  'fifties',
  'sixties',
  'seventies',
  'eighties',
  'nineties',
];

/** Spellings of a decade label: "1990s" → 1990s, 90s, nineties. */
function decadeSpellings(label: string): string[] {
  const start = Number.parseInt(label, 10);
  const out = [label];
  if (start >= 1920 && start < 2000) out.push(`${start % 100}s`, DECADE_WORDS[(start - 1920) / 10]);
  return out;
}

/**
 * Build the vocabulary of `items`.
 * @param preferred orders items sharing a title; the first wins (default: catalog order)
 */
export function buildVocabulary(
  items: readonly CatalogItem[],
  preferred?: readonly CatalogItem[],
): ChatVocabulary {
  const concepts = new Map<string, Concept>();
  const add = (phrase: string, concept: Concept): void => {
    const key = phraseKey(phrase);
    for (const k of [key, ...pluralForms(key)]) if (k !== '' && !concepts.has(k)) concepts.set(k, concept);
  };
  const all = new Map<string, Concept>();
  for (const item of items) for (const c of itemConcepts(item)) all.set(conceptKey(c), c);
  const byKind = (kind: Concept['kind']): Concept[] => [...all.values()].filter((c) => c.kind === kind);
  const comparatives = new Map<string, Concept>();
  for (const genre of byKind('genre')) {
    add(genre.label, genre);
    for (const synonym of GENRE_SYNONYMS[genre.label] ?? []) add(synonym, genre);
    for (const word of GENRE_COMPARATIVES[genre.label] ?? []) comparatives.set(phraseKey(word), genre);
  }
  for (const decade of byKind('decade')) for (const s of decadeSpellings(decade.label)) add(s, decade);
  for (const tag of byKind('tag')) add(tag.label, tag);
  const titles = new Map<string, CatalogItem>();
  for (const item of preferred ?? items)
    for (const variant of titleVariants(item.title)) if (!titles.has(variant)) titles.set(variant, item);
  let maxWords = 1;
  for (const key of [...concepts.keys(), ...titles.keys(), ...comparatives.keys()])
    maxWords = Math.max(maxWords, words(key).length);
  return { concepts, comparatives, titles, maxWords };
}
