import { describe, expect, it } from 'vitest';
import type { CatalogItem } from '../../src/data/types.ts';
import { buildSearchIndex, normalizeTitle, searchCatalog } from '../../src/state/search.ts';

const item = (id: number, title: string): CatalogItem => ({
  id,
  key: String(id * 10),
  title,
  genres: [],
  tags: [],
});
const catalog = [
  item(1, 'Toy Story'),
  item(2, 'Amélie'),
  item(3, 'Story of Us, The'),
  item(4, 'Toy Story 2'),
  item(5, 'Heat'),
];

describe('searchCatalog', () => {
  const index = buildSearchIndex(catalog);

  it('normalises case, accents and spaces', () => {
    expect(normalizeTitle('  Amélie   Poulain ')).toBe('amelie poulain');
  });

  it('ranks prefix matches first, then alphabetically', () => {
    expect(searchCatalog(index, 'story', 10).map((i) => i.id)).toEqual([3, 1, 4]);
    expect(searchCatalog(index, 'TOY', 10).map((i) => i.id)).toEqual([1, 4]);
  });

  it('matches without accents and respects the limit', () => {
    expect(searchCatalog(index, 'amelie', 10).map((i) => i.id)).toEqual([2]);
    expect(searchCatalog(index, 'o', 2)).toHaveLength(2);
  });

  it('returns nothing for an empty or blank query', () => {
    expect(searchCatalog(index, '   ', 10)).toEqual([]);
  });
});
