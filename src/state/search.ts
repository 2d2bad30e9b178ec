/**
 * Catalog search for the page: case- and accent-insensitive title substring match, ranked so that
 * titles starting with the query come first, then by title.
 */
import type { CatalogItem } from '../data/types.ts';

/** Lower-case, strip accents, collapse spaces — "Amélie " → "amelie". */
export function normalizeTitle(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** A catalog item plus its precomputed normalised title. */
export interface SearchEntry {
  item: CatalogItem;
  normalized: string;
}

/** Precompute normalised titles once per catalog; [items.length]. */
export function buildSearchIndex(items: readonly CatalogItem[]): SearchEntry[] {
  return items.map((item) => ({ item, normalized: normalizeTitle(item.title) }));
}

/**
 * Items whose title contains `query` (normalised); prefix matches first, then alphabetical.
 * An empty query returns no items. At most `limit` results.
 */
export function searchCatalog(index: readonly SearchEntry[], query: string, limit: number): CatalogItem[] {
  const q = normalizeTitle(query);
  if (q === '') return [];
  const hits: { entry: SearchEntry; at: number }[] = [];
  for (const entry of index) {
    const at = entry.normalized.indexOf(q);
    if (at >= 0) hits.push({ entry, at });
  }
  hits.sort(
    (a, b) =>
      Number(a.at !== 0) - Number(b.at !== 0) ||
      a.entry.normalized.localeCompare(b.entry.normalized) ||
      a.entry.item.id - b.entry.item.id,
  );
  return hits.slice(0, limit).map((h) => h.entry.item);
}
