/**
 * Catalog assembly: dense ids → CatalogItem with title/year/genres from the items file and the most
 * frequent user tags, plus item popularity.
 */
import type { CatalogItem, ItemMeta, TagRecord } from './types.ts';

/** Default number of tags kept per item. */
export const DEFAULT_TAGS_PER_ITEM = 5;

/**
 * Most frequent tags per item key. Tags are compared case-insensitively (the first spelling seen is
 * kept); ties are broken alphabetically so the result is deterministic.
 */
export function topTagsByItem(
  tags: readonly TagRecord[],
  perItem = DEFAULT_TAGS_PER_ITEM,
): Map<string, string[]> {
  const counts = new Map<string, Map<string, { text: string; count: number }>>();
  for (const record of tags) {
    let forItem = counts.get(record.item);
    if (!forItem) counts.set(record.item, (forItem = new Map()));
    const norm = record.tag.toLowerCase();
    const entry = forItem.get(norm);
    if (entry) entry.count++;
    else forItem.set(norm, { text: record.tag, count: 1 });
  }
  const out = new Map<string, string[]>();
  for (const [item, forItem] of counts) {
    const ranked = [...forItem.entries()].sort(
      (a, b) => b[1].count - a[1].count || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0),
    );
    out.set(
      item,
      ranked.slice(0, perItem).map(([, e]) => e.text),
    );
  }
  return out;
}

/**
 * Build the catalog for dense ids 1..N.
 * @param keysInIdOrder original key of dense id i+1 at index i; [N]
 * @param meta metadata of items by key; items without metadata get the title "Item <key>"
 */
export function buildCatalog(
  keysInIdOrder: readonly string[],
  meta: ReadonlyMap<string, ItemMeta>,
  tags: ReadonlyMap<string, string[]>,
): CatalogItem[] {
  return keysInIdOrder.map((key, i) => {
    const m = meta.get(key);
    const item: CatalogItem = {
      id: i + 1,
      key,
      title: m?.title ?? `Item ${key}`,
      genres: m?.genres ?? [],
      tags: tags.get(key) ?? [],
    };
    if (m?.year !== undefined) item.year = m.year;
    return item;
  });
}

/**
 * Interaction count per dense id.
 * @param sequences per-user dense ids; [users][len]
 * @returns counts; [itemCount + 1], index 0 = 0
 */
export function itemPopularity(sequences: readonly ArrayLike<number>[], itemCount: number): Int32Array {
  const counts = new Int32Array(itemCount + 1); // [N + 1]
  for (const seq of sequences) for (let j = 0; j < seq.length; j++) counts[seq[j]]++;
  counts[0] = 0;
  return counts;
}

/** Dense ids ordered by popularity (most interacted first, ties → lower id); [N]. */
export function mostPopular(popularity: Int32Array): Int32Array {
  const ids = Int32Array.from({ length: popularity.length - 1 }, (_, i) => i + 1); // [N]
  return ids.sort((a, b) => popularity[b] - popularity[a] || a - b);
}
