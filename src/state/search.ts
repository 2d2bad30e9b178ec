/**
 * Catalog search for the page: case- and accent-insensitive title match. A title is found the way it
 * is shown ("The Rock"), the way the catalog spells it ("Rock, The") and without its article ("Rock"),
 * so a visitor who types what the page shows finds it. Ranked: the whole title first, then titles
 * starting with the query, then titles with a word starting with it, then any other substring; ties
 * alphabetically (by the title without its article).
 */
import { readableTitle, trailingArticle } from '../data/title.ts';
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

/** A catalog item plus its precomputed normalised title forms. */
export interface SearchEntry {
  item: CatalogItem;
  /** as shown, as cataloged, without the article — each normalised, duplicates removed */
  forms: string[];
  /** the title without its article, normalised: the alphabetical tie-break */
  sortKey: string;
}

/** Precompute the normalised title forms once per catalog; [items.length]. */
export function buildSearchIndex(items: readonly CatalogItem[]): SearchEntry[] {
  return items.map((item) => {
    const bare = normalizeTitle(trailingArticle(item.title)?.body ?? item.title);
    const forms = [normalizeTitle(readableTitle(item.title)), normalizeTitle(item.title), bare];
    return { item, forms: [...new Set(forms)], sortKey: bare };
  });
}

/** How well `query` matches `form`: 0 whole title, 1 prefix, 2 word start, 3 substring, 4 none. */
function matchRank(form: string, query: string): number {
  if (form === query) return 0;
  const at = form.indexOf(query);
  if (at === 0) return 1;
  if (at < 0) return 4;
  return form.includes(` ${query}`) || /\W/u.test(form[at - 1]) ? 2 : 3;
}

/**
 * Items whose title (in any of its forms) contains `query`, normalised; best match first (see the
 * file comment), then alphabetical. An empty query returns no items. At most `limit` results.
 */
export function searchCatalog(index: readonly SearchEntry[], query: string, limit: number): CatalogItem[] {
  const q = normalizeTitle(query);
  if (q === '') return [];
  const hits: { entry: SearchEntry; rank: number }[] = [];
  for (const entry of index) {
    const rank = Math.min(...entry.forms.map((form) => matchRank(form, q)));
    if (rank < 4) hits.push({ entry, rank });
  }
  hits.sort(
    (a, b) =>
      a.rank - b.rank || a.entry.sortKey.localeCompare(b.entry.sortKey) || a.entry.item.id - b.entry.item.id,
  );
  return hits.slice(0, limit).map((h) => h.entry.item);
}
