/**
 * The post-check every explanation passes before it is shown: each title or concept it names must
 * be in its fact set (the item, its drivers, the concepts it shares). Titles and concepts are found
 * by whole-word, case-sensitive matching against the catalog; "[…]" spans must hold a fact exactly.
 * A title may be spelled as the catalog writes it ("Rock, The": the language model's prompt and
 * training targets) or as the page shows it ("The Rock", data/title.ts `readableTitle`).
 * The same check measures the hallucination rate in `npm run eval:explain`.
 */
import { readableTitle } from '../data/title.ts';
import type { CatalogItem } from '../data/types.ts';
import { conceptKey, itemConcepts, type Concept } from './concepts.ts';
import type { ExplanationFacts } from './explain-facts.ts';

/** Shortest single-word title the check looks for (shorter ones, e.g. "Up", "It", are ordinary words). */
export const MIN_SINGLE_WORD_TITLE = 5;

/** What the check looks for in any text: catalog titles and concept labels. */
export interface CatalogVocabulary {
  /** titles worth matching (multi-word, or single words of ≥ MIN_SINGLE_WORD_TITLE letters) */
  titles: Set<string>;
  /** genre labels of the catalog */
  genres: Set<string>;
}

/** Result of the check. */
export interface CheckResult {
  ok: boolean;
  /** what is wrong, e.g. 'names "Heat", not a fact of this explanation' */
  violations: string[];
  /** history items (drivers) the text names */
  citedItems: number[];
  /** fact concepts the text names */
  citedConcepts: Concept[];
}

/** Titles and genres of a catalog. */
export function catalogVocabulary(items: readonly CatalogItem[]): CatalogVocabulary {
  const titles = new Set<string>();
  const genres = new Set<string>();
  for (const item of items) {
    for (const t of titleForms(item.title.trim()))
      if (t.includes(' ') || t.length >= MIN_SINGLE_WORD_TITLE) titles.add(t);
    for (const c of itemConcepts(item)) if (c.kind === 'genre') genres.add(c.label);
  }
  return { titles, genres };
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `phrase` as a whole word: letters/digits must not touch the match. */
const wholeWord = (phrase: string, flags: string): RegExp =>
  new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(phrase)}(?![\\p{L}\\p{N}])`, flags);

/** Whole-word occurrence test. */
function mentions(text: string, phrase: string): boolean {
  return wholeWord(phrase, 'u').test(text);
}

/**
 * A function that replaces whole-word occurrences of each phrase, longest first, by `mark` (so
 * titles contained in longer ones are not re-found); the patterns are compiled once.
 */
export function phraseBlanker(phrases: readonly string[], mark = '#'): (text: string) => string {
  const patterns = [...phrases].sort((a, b) => b.length - a.length).map((phrase) => wholeWord(phrase, 'gu'));
  return (text) => patterns.reduce((rest, pattern) => rest.replace(pattern, mark), text);
}

/** Replace whole-word occurrences of each phrase, longest first, by `mark` (see `phraseBlanker`). */
export function blankPhrases(text: string, phrases: readonly string[], mark = '#'): string {
  return phraseBlanker(phrases, mark)(text);
}

/**
 * The two spellings of a catalog title a text may use: the catalog's, which the language model's
 * prompt and training targets use ("Rock, The"), and the readable one the page shows ("The Rock").
 */
export function titleForms(title: string): string[] {
  const readable = readableTitle(title);
  return readable === title ? [title] : [title, readable];
}

/**
 * The fact strings an explanation of `facts` may name: titles (both `titleForms`) and concept
 * labels.
 */
export function allowedFactStrings(facts: ExplanationFacts): { titles: string[]; concepts: Concept[] } {
  return {
    titles: [...new Set([facts.title, ...facts.drivers.map((d) => d.title)].flatMap(titleForms))],
    concepts: facts.shared.map((s) => s.concept),
  };
}

/**
 * `text` as the page shows it: every fact title in the catalog's spelling ("Rock, The") replaced by
 * its readable one ("The Rock"), whole words only, in one pass.
 */
export function readableFactTitles(text: string, facts: ExplanationFacts): string {
  const readable = new Map(
    [facts.title, ...facts.drivers.map((d) => d.title)]
      .map((t) => [t, readableTitle(t)] as const)
      .filter(([t, r]) => t !== r),
  );
  if (readable.size === 0) return text;
  const alternatives = [...readable.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp);
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives.join('|')})(?![\\p{L}\\p{N}])`, 'gu');
  return text.replace(pattern, (title) => readable.get(title) ?? title);
}

/** Check `text` (brackets included, if any) against `facts`. */
export function checkExplanation(
  text: string,
  facts: ExplanationFacts,
  vocab: CatalogVocabulary,
): CheckResult {
  const { titles, concepts } = allowedFactStrings(facts);
  const labels = new Set(concepts.map((c) => c.label));
  const violations: string[] = [];
  for (const span of text.matchAll(/\[([^\]]*)\]?/g)) {
    const inside = span[1].trim();
    if (!titles.includes(inside) && !labels.has(inside))
      violations.push(`span "[${inside}]" is not a fact of this explanation`);
  }
  const plain = text.replace(/[[\]]/g, '');
  const citedItems = facts.drivers
    .filter((d) => titleForms(d.title).some((t) => mentions(plain, t)))
    .map((d) => d.itemId);
  const citedConcepts = concepts.filter((c) => mentions(plain, c.label));
  // blank every allowed phrase, then look for anything else the catalog knows
  const rest = blankPhrases(plain, [...titles, ...labels]);
  for (const title of vocab.titles)
    if (mentions(rest, title)) violations.push(`names "${title}", not a fact`);
  for (const genre of vocab.genres)
    if (mentions(rest, genre)) violations.push(`names genre "${genre}", not a fact`);
  for (const decade of rest.match(/(?<![\p{L}\p{N}])\d{3}0s(?![\p{L}\p{N}])/gu) ?? [])
    violations.push(`names decade "${decade}", not a fact`);
  // a rec-tuned model's item pieces (<i1>…) in the text: items are named by their titles only
  for (const piece of rest.match(/<i\d+>/g) ?? [])
    violations.push(`writes item token "${piece}"; items are named by title only`);
  const seen = new Set<string>();
  const uniqueConcepts = citedConcepts.filter((c) => !seen.has(conceptKey(c)) && seen.add(conceptKey(c)));
  return { ok: violations.length === 0, violations, citedItems, citedConcepts: uniqueConcepts };
}
