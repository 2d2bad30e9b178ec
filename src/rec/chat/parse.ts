/**
 * Deterministic parsing of a chat request against the catalog vocabulary:
 * "something like Alien but funnier" → similar to Alien + boost Comedy; "no horror" → exclude
 * Horror; "from the 90s" → require the 1990s; "after 2000" → yearMin 2001. Words that match
 * nothing are collected in `ignored` so the reply can say so. No model is involved.
 */
import { type Polarity, type ChatIntent, emptyIntent, setPolarity } from './intent.ts';
import { words } from './text.ts';
import type { ChatVocabulary } from './vocabulary.ts';

/** Cue phrases (normalised words) and what they switch the parser to; longest first at a position. */
const CUES: [string, Cue][] = [
  ['no more', 'exclude'],
  ['nothing but', 'require'],
  ['anything but', 'exclude'],
  ['not too', 'demote'],
  ['not so much', 'demote'],
  ['similar to', 'similar'],
  ['such as', 'similar'],
  ['in the style of', 'similar'],
  ['reminds me of', 'similar'],
  ['along the lines of', 'similar'],
  ['start over', 'reset'],
  ['never mind', 'reset'],
  ['like', 'similar'],
  ['no', 'exclude'],
  ['not', 'exclude'],
  ['without', 'exclude'],
  ['except', 'exclude'],
  ['avoid', 'exclude'],
  ['exclude', 'exclude'],
  ['skip', 'exclude'],
  ['hate', 'exclude'],
  ['dont', 'exclude'],
  ['nothing', 'exclude'],
  ['none', 'exclude'],
  ['less', 'demote'],
  ['fewer', 'demote'],
  ['only', 'require'],
  ['just', 'require'],
  ['more', 'boost'],
  ['with', 'boost'],
  ['from', 'boost'],
  ['in', 'boost'],
  ['but', 'boost'],
  ['reset', 'reset'],
  ['clear', 'reset'],
];

type Cue = Polarity | 'similar' | 'reset';

/** Words that carry no request ("something", "movies", "please") — skipped silently. */
const FILLERS = new Set(
  (
    'a an the some something anything movie movies film films flick flicks one ones i id im me my we us our ' +
    'want wanna would could can you please show give find get recommend watch watching see for to of that ' +
    'thats is are be it its really very too maybe also instead then now tonight today stuff kind sort type ' +
    'lot bit little much what about how ok okay thanks thank hey hi into mood feel feeling prefer rather ' +
    'lets let era decade years year and or nor make them those these again good great nice best decent'
  ).split(' '),
);
/** Words that keep a negation or "only" going over a list ("no horror or thrillers"). */
const LIST_WORDS = new Set(['and', 'or', 'nor']);
const YEAR_CUES: Record<string, 'min' | 'max' | 'minExclusive' | 'maxExclusive'> = {
  before: 'maxExclusive',
  until: 'max',
  after: 'minExclusive',
  since: 'min',
};

/** Longest phrase of `table` starting at `at` (≤ maxWords words): [value, words used] or undefined. */
function longest<V>(
  table: Map<string, V>,
  ws: string[],
  at: number,
  maxWords: number,
): [V, number] | undefined {
  for (let n = Math.min(maxWords, ws.length - at); n >= 1; n--) {
    const value = table.get(ws.slice(at, at + n).join(' '));
    if (value !== undefined) return [value, n];
  }
  return undefined;
}

const CUE_TABLE = new Map(CUES);

/** A year 1870–2100 written as four digits, else undefined. */
function yearOf(word: string | undefined): number | undefined {
  if (word === undefined || !/^\d{4}$/.test(word)) return undefined;
  const y = Number(word);
  return y >= 1870 && y <= 2100 ? y : undefined;
}

/** Parse one chat turn. */
export function parseRequest(text: string, vocab: ChatVocabulary): ChatIntent {
  const intent = emptyIntent();
  // clauses end at . ; ! ? — a negation never crosses them; commas list like "and"
  for (const clause of text.replace(/,/g, ' and ').split(/[.;!?]+/))
    parseClause(words(clause), vocab, intent);
  return intent;
}

/** Parse one clause's words into `intent`. */
function parseClause(ws: string[], vocab: ChatVocabulary, intent: ChatIntent): void {
  let mode: Polarity = 'boost';
  let similar = false; // the previous cue was "like …"
  let listOpen = false; // a list word follows a concept: the mode carries on
  for (let i = 0; i < ws.length;) {
    const word = ws[i];
    const cue = longest(CUE_TABLE, ws, i, 4);
    if (cue) {
      const [what, n] = cue;
      i += n;
      if (what === 'reset') intent.reset = true;
      else if (what === 'similar') similar = true;
      else mode = what;
      listOpen = false;
      continue;
    }
    if (word in YEAR_CUES && yearOf(ws[i + 1]) !== undefined) {
      const y = yearOf(ws[i + 1]) ?? 0;
      const kind = YEAR_CUES[word];
      if (kind === 'min' || kind === 'minExclusive') intent.yearMin = kind === 'min' ? y : y + 1;
      else intent.yearMax = kind === 'max' ? y : y - 1;
      i += 2;
      continue;
    }
    const comparative = longest(vocab.comparatives, ws, i, vocab.maxWords);
    const concept = longest(vocab.concepts, ws, i, vocab.maxWords);
    if (similar) {
      const title = longest(vocab.titles, ws, i, vocab.maxWords);
      // "like comedies" asks for a genre, not a film called "Comedy": a genre wins a tie
      const genreTie =
        concept !== undefined && concept[0].kind === 'genre' && concept[1] >= (title?.[1] ?? 0);
      if (title && !genreTie) {
        const [item, n] = title;
        if (!intent.similarTo.includes(item)) intent.similarTo.push(item);
        i += n;
        similar = ws[i] !== undefined && LIST_WORDS.has(ws[i]); // "like Heat and Scream"
        listOpen = false;
        continue;
      }
    }
    const best = [comparative, concept].filter((m) => m !== undefined).sort((a, b) => b[1] - a[1])[0];
    if (best && (best[1] > 1 || !FILLERS.has(word))) {
      const [c, n] = best;
      const polarity = best === comparative ? 'boost' : mode;
      // a decade asked for positively is a filter ("from the 90s")
      setPolarity(intent, c, c.kind === 'decade' && polarity === 'boost' ? 'require' : polarity);
      i += n;
      similar = false;
      listOpen = ws[i] !== undefined && LIST_WORDS.has(ws[i]);
      if (!listOpen) mode = 'boost';
      continue;
    }
    if (!FILLERS.has(word)) {
      intent.ignored.push(word);
      similar = false;
      mode = 'boost';
    }
    i++;
  }
}
