/**
 * The deterministic verbaliser: one sentence per recommendation built only from its facts, with
 * templates picked by a seed (varied wording, same seed → same text). Always available; it is the
 * fallback of the LLM verbaliser. Titles read as the page shows them ("The Rock"). Every title and concept it names is returned in `cited`, which
 * the metrics and the post-check read.
 */
import { readableTitle } from '../data/title.ts';
import { deriveSeed } from '../eval/random.ts';
import type { Concept } from './concepts.ts';
import type { ExplanationFacts } from './explain-facts.ts';
import { joinLabels } from './profile.ts';

/** An explanation text and what it names. */
export interface Explanation {
  text: string;
  /** history item ids named in the text */
  citedItems: number[];
  /** concepts named in the text */
  citedConcepts: Concept[];
  /** who wrote it */
  source: 'template' | 'llm';
}

/** How many shared concepts a sentence names at most. */
const MAX_CONCEPTS = 2;
/** How many drivers a sentence names at most. */
const MAX_DRIVERS = 2;

/** "Comedy", "the 1990s", "“space”" — a concept as a phrase inside a sentence. */
export function conceptPhrase(concept: Concept): string {
  if (concept.kind === 'decade') return `the ${concept.label}`;
  if (concept.kind === 'tag') return `“${concept.label}”`;
  return concept.label;
}

type Template = (t: string, drivers: string, concepts: string) => string;

const WITH_BOTH: Template[] = [
  (t, d, c) => `Because you watched ${d}: ${t} shares ${c} with them.`,
  (t, d, c) => `${t} is here mostly because of ${d}, and like them it has ${c}.`,
  (t, d, c) => `You watched ${d}; ${t} has ${c} too.`,
];
const DRIVERS_ONLY: Template[] = [
  (t, d) => `Because you watched ${d}, ${t} rose to the top.`,
  (t, d) => `${t} is here mostly because of ${d}.`,
];
const CONCEPTS_ONLY: Template[] = [
  (t, _d, c) => `${t} matches your taste for ${c}.`,
  (t, _d, c) => `You often pick ${c}, and so does ${t}.`,
];
const NOTHING: Template[] = [(t) => `${t} fits the pattern of your recent history.`];

/** Deterministic sentence for `facts`; `seed` picks among the templates that fit. */
export function templateExplanation(facts: ExplanationFacts, seed = 0): Explanation {
  const drivers = facts.drivers.slice(0, MAX_DRIVERS);
  // prefer concepts shared with the cited drivers, then the profile's
  const concepts = facts.shared
    .filter((s) => s.drivers.some((id) => drivers.some((d) => d.itemId === id)) || s.inProfile)
    .slice(0, MAX_CONCEPTS)
    .map((s) => s.concept);
  const family =
    drivers.length > 0 && concepts.length > 0
      ? WITH_BOTH
      : drivers.length > 0
        ? DRIVERS_ONLY
        : concepts.length > 0
          ? CONCEPTS_ONLY
          : NOTHING;
  const pick = family[deriveSeed(seed, facts.itemId) % family.length];
  const text = pick(
    readableTitle(facts.title),
    joinLabels(drivers.map((d) => readableTitle(d.title))),
    joinLabels(concepts.map(conceptPhrase)),
  );
  return {
    text,
    citedItems: family === CONCEPTS_ONLY || family === NOTHING ? [] : drivers.map((d) => d.itemId),
    citedConcepts: family === DRIVERS_ONLY || family === NOTHING ? [] : concepts,
    source: 'template',
  };
}
