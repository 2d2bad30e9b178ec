/**
 * The readability gate of the LLM verbaliser: besides naming only facts (explain-check.ts), a
 * sentence must be English between its fact spans. A small model (260K-parameter stories260K) gets
 * the spans right — decoding is constrained there — but may write "Because you watched [Batman] on
 * theking. She played on the lion with her faluffe." Such attempts are rejected like fact-check
 * failures, and the template sentence is shown when no attempt passes.
 *
 * Rules, on the raw generation (brackets included) with every fact span and fact string removed:
 * - no letters glued to a span ("[Jaws]ed": the title as shown would be wrong);
 * - no stray characters: only letters, digits, spaces and ordinary punctuation;
 * - at most MAX_UNKNOWN_SHARE of the remaining words outside the English word list;
 * - a finished sentence: it ends with ".", "!" or "?" (a quote or bracket may close after it), not
 *   where the token budget cut it ("Because you watched [Heat] and").
 *
 * The word list (src/rec/english-words.txt, 40,198 words, 360 KB / 105 KB gzipped) is SCOWL's
 * English, American and British words of size levels 10–35 (the common words and their inflections;
 * SCOWL's copyright in src/rec/english-words.COPYRIGHT), lower-cased, letters only: written by
 * models/tools/english-words.ts, plus the short SUPPLEMENT below. It is loaded on first use (its own
 * chunk on the page, fetched only when a language model writes explanations).
 */
import { allowedFactStrings, phraseBlanker } from './explain-check.ts';
import type { ExplanationFacts } from './explain-facts.ts';

/**
 * Largest share of words outside the list a sentence may have: 1 in 10 (a name or a rare word in a
 * sentence of ten words or more). A rejected sentence costs a retry or the template sentence; an
 * unreadable one shown costs the reader's trust, so the gate errs on the strict side.
 */
export const MAX_UNKNOWN_SHARE = 0.1;

/** What the gate found. */
export interface ReadabilityResult {
  ok: boolean;
  /** what is wrong, e.g. '3 of 10 words are not English: "andd", "romewin", "leve"' */
  violations: string[];
  /** words outside the fact spans */
  words: number;
  /** those not in the list (lower-cased, in order) */
  unknown: string[];
}

/** Words: runs of letters/digits, with inner apostrophes ("don't", "Sam's"). */
const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu;
/** Anything but letters, digits, white space and ordinary sentence punctuation. */
const STRAY = /[^\p{L}\p{N}\s.,;:!?'"‘’“”()\-–—…]/gu;
/** The end of a finished sentence. */
const SENTENCE_END = /[.!?…]["'”’)\]]*\s*$/u;
/** Endings of contractions and possessives; the word is known when its stem is ("didn't" → "did"). */
const CLITIC = /^(.+?)(?:n't|'s|'ll|'re|'ve|'d|'m|')$/;
/**
 * Words the list leaves out (written here, not from SCOWL): the pronoun "I", contractions whose stem
 * is not a word, nationality adjectives (SCOWL keeps capitalised words apart) and film words of
 * reviews and genres.
 */
const SUPPLEMENT = new Set([
  ...['i', "can't", "won't", "shan't", "ain't"],
  ...['american', 'british', 'english', 'french', 'italian', 'german', 'spanish', 'japanese', 'chinese'],
  ...['korean', 'indian', 'mexican', 'hollywood', 'oscar', 'oscars', 'disney', 'pixar'],
  ...['sci', 'fi', 'rom', 'com', 'noir', 'anime', 'biopic', 'biopics', 'heist', 'superhero', 'superheroes'],
  ...['dystopia', 'dystopian', 'cinematic', 'cinematography', 'suspenseful', 'heartwarming', 'comedic'],
  ...['storytelling', 'tearjerker', 'screwball', 'slasher', 'whodunit', 'mockumentary', 'rewatch'],
  ...['standup', 'stand', 'feelgood', 'blockbusters', 'sequels', 'prequel', 'prequels', 'franchise'],
  ...['rewatchable', 'bingeable', 'indie', 'arthouse', 'worldbuilding', 'filmography', 'soundtrack'],
]);

/** The word set of a list file: one lower-case word a line; blank lines and "#" comments skipped. */
export function parseWordList(text: string): Set<string> {
  const words = new Set<string>();
  for (const line of text.split('\n')) {
    const w = line.trim();
    if (w !== '' && !w.startsWith('#')) words.add(w);
  }
  return words;
}

let loaded: Promise<ReadonlySet<string>> | undefined;

/** The English word list (loaded once, on first use). */
export function englishWords(): Promise<ReadonlySet<string>> {
  loaded ??= import('./english-words.txt?raw').then((m) => parseWordList(m.default));
  return loaded;
}

/** True when `word` is in `words`, a number, or a contraction/possessive of a listed word. */
export function isKnownWord(word: string, words: ReadonlySet<string>): boolean {
  const w = word.toLowerCase().replace(/’/g, "'");
  const listed = (s: string): boolean => words.has(s) || SUPPLEMENT.has(s);
  if (listed(w) || /^\d+$/.test(w)) return true;
  const clitic = CLITIC.exec(w);
  return clitic !== null && listed(clitic[1]);
}

/** "letters glued to …" for each closed span with a letter right before or after it. */
function gluedSpans(raw: string): string[] {
  return [...raw.matchAll(/(\p{L}*)\[([^\]]*)\](\p{L}*)/gu)]
    .filter((m) => m[1] !== '' || m[3] !== '')
    .map((m) => `letters glued to "[${m[2]}]": "${m[1]}${m[2]}${m[3]}"`);
}

/** What the gate compares against, per facts object (certainlyUnreadable runs after every generated token). */
interface FactText {
  /** titles and concept labels */
  strings: string[];
  /** replaces their whole-word occurrences by a space */
  blank: (text: string) => string;
}

const factTextOf = new WeakMap<ExplanationFacts, FactText>();

/** The fact strings of `facts` and their blanker, computed once per facts object. */
function factText(facts: ExplanationFacts): FactText {
  let found = factTextOf.get(facts);
  if (found === undefined) {
    const { titles, concepts } = allowedFactStrings(facts);
    const strings = [...titles, ...concepts.map((c) => c.label)];
    found = { strings, blank: phraseBlanker(strings, ' ') };
    factTextOf.set(facts, found);
  }
  return found;
}

/** `raw` without its spans (closed or not: an unclosed one runs to the end), then without its fact strings. */
function outsideFacts(raw: string, facts: ExplanationFacts): string {
  return factText(facts).blank(raw.replace(/\[[^\]]*\]?/g, ' '));
}

/**
 * Where a fact string may still be being written at the end of `rest` (a text not finished yet):
 * the first word start whose tail is a proper prefix of a fact string ("… and Kicking &" of
 * "Kicking & Screaming"); `rest.length` when there is none.
 */
function unfinishedFactStart(rest: string, strings: readonly string[]): number {
  const longest = Math.max(0, ...strings.map((f) => f.length));
  for (let p = Math.max(0, rest.length - longest); p < rest.length; p++) {
    if (p > 0 && /[\p{L}\p{N}]/u.test(rest[p - 1])) continue;
    const tail = rest.slice(p);
    if (strings.some((f) => f.length > tail.length && f.startsWith(tail))) return p;
  }
  return rest.length;
}

/**
 * The stray characters of `raw` (distinct, in order): the one rule of both checks. Spans and fact
 * strings are removed first; what is left may hold only letters, digits, spaces and ordinary
 * punctuation. For a text still being generated (`finished` false) the characters of a fact string
 * it may still be writing at its end are not counted yet.
 */
export function strayCharacters(raw: string, facts: ExplanationFacts, finished: boolean): string[] {
  const rest = outsideFacts(raw, facts);
  const end = finished ? rest.length : unfinishedFactStart(rest, factText(facts).strings);
  return [...new Set(rest.slice(0, end).match(STRAY) ?? [])];
}

/**
 * A violation the rest of the generation cannot undo, found in the text so far (or null): letters
 * glued to a closed span, or a stray character (`strayCharacters` of an unfinished text). The
 * verbaliser stops such an attempt at once.
 */
export function certainlyUnreadable(rawSoFar: string, facts: ExplanationFacts): string | null {
  const glued = gluedSpans(rawSoFar)[0];
  if (glued !== undefined) return glued;
  const stray = strayCharacters(rawSoFar, facts, false)[0];
  return stray === undefined ? null : `stray character "${stray}"`;
}

/** Check the text of `raw` outside its fact spans (see the module comment). */
export function checkReadability(
  raw: string,
  facts: ExplanationFacts,
  words: ReadonlySet<string>,
): ReadabilityResult {
  const violations = gluedSpans(raw);
  // spans (closed or not) first, then fact strings the model wrote without brackets
  const rest = outsideFacts(raw, facts);
  const stray = strayCharacters(raw, facts, true);
  if (stray.length > 0) violations.push(`stray characters: ${stray.map((c) => `"${c}"`).join(', ')}`);
  const all = rest.match(WORD) ?? [];
  const unknown = all.filter((w) => !isKnownWord(w, words)).map((w) => w.toLowerCase());
  if (unknown.length > MAX_UNKNOWN_SHARE * all.length)
    violations.push(
      `${unknown.length} of ${all.length} words are not English: ${unknown.map((w) => `"${w}"`).join(', ')}`,
    );
  if (!SENTENCE_END.test(raw))
    violations.push(`unfinished sentence: ends "${raw.trimEnd().slice(-20)}", not with ".", "!" or "?"`);
  return { ok: violations.length === 0, violations, words: all.length, unknown };
}
