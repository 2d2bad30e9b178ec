/**
 * Turning a chat intent into filters and boosts on SASRec's candidate list. Scores are made
 * comparable first (z-score of the SASRec scores within the candidates), then each boosted concept
 * the item has adds BOOST_WEIGHT, each demoted one subtracts it, and likeness to the "like …"
 * anchors (Jaccard overlap of concepts) adds up to SIMILARITY_WEIGHT. Filters remove items outright.
 */
import type { CatalogItem } from '../../data/types.ts';
import { conceptKey, itemConceptKeys, itemConcepts, type Concept } from '../concepts.ts';
import type { ChatIntent } from './intent.ts';

/** Added per boosted concept an item has (one standard deviation of the SASRec scores). */
export const BOOST_WEIGHT = 1;
/** Added for an item whose concepts equal an anchor's (scaled by the Jaccard overlap). */
export const SIMILARITY_WEIGHT = 2;

/** One SASRec candidate. */
export interface Candidate {
  item: CatalogItem;
  /** SASRec score */
  score: number;
}

/** A candidate after refinement. */
export interface RefinedItem extends Candidate {
  /** the score the refined list is sorted by */
  adjusted: number;
  /** asked-for concepts (boosted or required) the item has */
  fits: Concept[];
  /** the most alike anchor and the concepts the item shares with it (absent without anchors) */
  alike?: { anchor: CatalogItem; shared: Concept[] };
}

/** The refined list and what the filters did. */
export interface Refined {
  /** best first; [≤ limit] */
  items: RefinedItem[];
  /** candidates looked at */
  considered: number;
  /** candidates the filters removed (anchors included) */
  removed: number;
}

/** Jaccard overlap of two key sets, 0 when both are empty. */
export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  let shared = 0;
  for (const k of a) if (b.has(k)) shared++;
  const union = a.size + b.size - shared;
  return union === 0 ? 0 : shared / union;
}

/** Does `item` pass the intent's filters (exclusions, required concepts per kind, years)? */
export function passesFilters(item: CatalogItem, keys: ReadonlySet<string>, intent: ChatIntent): boolean {
  if (intent.concepts.exclude.some((c) => keys.has(conceptKey(c)))) return false;
  const required = new Map<Concept['kind'], Concept[]>();
  for (const c of intent.concepts.require) required.set(c.kind, [...(required.get(c.kind) ?? []), c]);
  // one of the required concepts of each kind ("comedy or drama from the 90s")
  for (const group of required.values()) if (!group.some((c) => keys.has(conceptKey(c)))) return false;
  if (intent.yearMin === undefined && intent.yearMax === undefined) return true;
  if (item.year === undefined) return false;
  return item.year >= (intent.yearMin ?? -Infinity) && item.year <= (intent.yearMax ?? Infinity);
}

/** Mean and standard deviation of `values` (std 1 when it would be 0). */
function moments(values: readonly number[]): { mean: number; std: number } {
  const mean = values.reduce((s, v) => s + v, 0) / Math.max(1, values.length);
  const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(1, values.length);
  return { mean, std: variance > 0 ? Math.sqrt(variance) : 1 };
}

/** Filter and re-rank `candidates` (SASRec's top-N) by `intent`; keep the best `limit`. */
export function refineCandidates(
  candidates: readonly Candidate[],
  intent: ChatIntent,
  limit: number,
): Refined {
  const { mean, std } = moments(candidates.map((c) => c.score));
  const anchorIds = new Set(intent.similarTo.map((a) => a.id));
  const anchorKeys = intent.similarTo.map(itemConceptKeys);
  const boostKeys = intent.concepts.boost.map(conceptKey);
  const demoteKeys = intent.concepts.demote.map(conceptKey);
  const askedKeys = new Set([...boostKeys, ...intent.concepts.require.map(conceptKey)]);
  const kept: RefinedItem[] = [];
  for (const candidate of candidates) {
    const keys = itemConceptKeys(candidate.item);
    if (anchorIds.has(candidate.item.id) || !passesFilters(candidate.item, keys, intent)) continue;
    const hits = (list: string[]): number => list.filter((k) => keys.has(k)).length;
    const likeness = anchorKeys.map((a) => jaccard(a, keys)); // [anchors]
    const best = likeness.indexOf(Math.max(...likeness));
    const adjusted =
      (candidate.score - mean) / std +
      BOOST_WEIGHT * (hits(boostKeys) - hits(demoteKeys)) +
      SIMILARITY_WEIGHT * (likeness[best] ?? 0);
    const concepts = itemConcepts(candidate.item);
    const refined: RefinedItem = {
      ...candidate,
      adjusted,
      fits: concepts.filter((c) => askedKeys.has(conceptKey(c))),
    };
    if (best >= 0) {
      const shared = concepts.filter((c) => anchorKeys[best].has(conceptKey(c)));
      refined.alike = { anchor: intent.similarTo[best], shared };
    }
    kept.push(refined);
  }
  kept.sort((a, b) => b.adjusted - a.adjusted || b.score - a.score || a.item.id - b.item.id);
  return {
    items: kept.slice(0, limit),
    considered: candidates.length,
    removed: candidates.length - kept.length,
  };
}
