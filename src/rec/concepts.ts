/**
 * Concepts of a catalog item: its genres, its user tags and the decade of its year. Concepts are
 * the vocabulary explanations and the chat parser may use; a concept is only ever claimed of an
 * item when `itemConcepts` lists it.
 */
import type { CatalogItem } from '../data/types.ts';

/** Where a concept comes from. */
export type ConceptKind = 'genre' | 'tag' | 'decade';

/** One concept, e.g. {kind: 'genre', label: 'Comedy'} or {kind: 'decade', label: '1990s'}. */
export interface Concept {
  kind: ConceptKind;
  /** display text, as the catalog spells it (decades as "1990s") */
  label: string;
}

/** MovieLens' placeholder genre: not a concept. */
const NO_GENRE = '(no genres listed)';

/** "1990s" for 1994; undefined for a missing or non-finite year. */
export function decadeOf(year: number | undefined): string | undefined {
  if (year === undefined || !Number.isFinite(year)) return undefined;
  return `${Math.floor(year / 10) * 10}s`;
}

/** A stable key for comparing concepts: kind + lower-cased label, e.g. "genre:comedy". */
export function conceptKey(concept: Concept): string {
  return `${concept.kind}:${concept.label.toLowerCase()}`;
}

/**
 * Every concept of `item`, genres first, then tags (catalog order) except those that repeat one of its
 * genres, then the decade; no duplicates.
 */
export function itemConcepts(item: CatalogItem): Concept[] {
  const out = new Map<string, Concept>();
  const add = (concept: Concept): void => {
    if (concept.label.trim() === '' || out.has(conceptKey(concept))) return;
    out.set(conceptKey(concept), concept);
  };
  for (const g of item.genres) if (g !== NO_GENRE) add({ kind: 'genre', label: g });
  // a tag that repeats one of the item's genres ("sci-fi" on a Sci-Fi film) is that genre, not a second concept
  const genres = new Set(item.genres.map((g) => g.toLowerCase()));
  for (const t of item.tags) if (!genres.has(t.toLowerCase())) add({ kind: 'tag', label: t });
  const decade = decadeOf(item.year);
  if (decade) add({ kind: 'decade', label: decade });
  return [...out.values()];
}

/** Concept keys of `item` (for membership tests). */
export function itemConceptKeys(item: CatalogItem): Set<string> {
  return new Set(itemConcepts(item).map(conceptKey));
}
