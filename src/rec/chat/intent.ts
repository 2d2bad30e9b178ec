/**
 * What a chat request asks of the candidate list, and how turns add up: a later turn overrides
 * what an earlier one said about the same concept ("no horror" then "more horror" → boost).
 */
import type { CatalogItem } from '../../data/types.ts';
import { conceptKey, type Concept } from '../concepts.ts';

/** How a concept acts on the list. */
export type Polarity = 'boost' | 'demote' | 'exclude' | 'require';

/** Every polarity, in the order replies name them. */
export const POLARITIES: readonly Polarity[] = ['require', 'boost', 'demote', 'exclude'];

/** A parsed request (one turn) or the running total of a conversation. */
export interface ChatIntent {
  /** anchors: "something like Alien" (recommend next to these, favour their concepts) */
  similarTo: CatalogItem[];
  /** concepts per polarity; a concept is in at most one list */
  concepts: Record<Polarity, Concept[]>;
  /** inclusive year bounds ("after 2000" → yearMin 2001) */
  yearMin?: number;
  yearMax?: number;
  /** words of this turn that matched nothing (said back to the user) */
  ignored: string[];
  /** the turn asked to start over */
  reset: boolean;
}

/** An intent that asks nothing. */
export function emptyIntent(): ChatIntent {
  return {
    similarTo: [],
    concepts: { boost: [], demote: [], exclude: [], require: [] },
    ignored: [],
    reset: false,
  };
}

/** Put `concept` under `polarity`, removing it from every other list. */
export function setPolarity(intent: ChatIntent, concept: Concept, polarity: Polarity): void {
  const key = conceptKey(concept);
  for (const p of POLARITIES) intent.concepts[p] = intent.concepts[p].filter((c) => conceptKey(c) !== key);
  intent.concepts[polarity].push(concept);
}

/** True when the intent changes nothing about the list. */
export function isEmptyIntent(intent: ChatIntent): boolean {
  return (
    intent.similarTo.length === 0 &&
    POLARITIES.every((p) => intent.concepts[p].length === 0) &&
    intent.yearMin === undefined &&
    intent.yearMax === undefined
  );
}

/** The conversation so far (`total`) plus one more `turn`; `ignored` is the turn's. */
export function mergeIntents(total: ChatIntent, turn: ChatIntent): ChatIntent {
  const out = turn.reset ? emptyIntent() : copyIntent(total);
  if (turn.similarTo.length > 0) out.similarTo = [...turn.similarTo];
  for (const p of POLARITIES) for (const c of turn.concepts[p]) setPolarity(out, c, p);
  if (turn.yearMin !== undefined) out.yearMin = turn.yearMin;
  if (turn.yearMax !== undefined) out.yearMax = turn.yearMax;
  out.ignored = [...turn.ignored];
  out.reset = turn.reset;
  return out;
}

/** A copy whose lists can be changed without touching `intent`. */
function copyIntent(intent: ChatIntent): ChatIntent {
  const concepts = { boost: [], demote: [], exclude: [], require: [] } as Record<Polarity, Concept[]>;
  for (const p of POLARITIES) concepts[p] = [...intent.concepts[p]];
  const out: ChatIntent = {
    ...intent,
    similarTo: [...intent.similarTo],
    concepts,
    ignored: [...intent.ignored],
  };
  return out;
}
