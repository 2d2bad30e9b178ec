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
  item(6, 'Rock, The'),
  item(7, 'Rock Star'),
  item(8, 'Matrix Reloaded, The'),
  item(9, 'Matrix, The'),
  item(10, 'Rocky'),
];

describe('searchCatalog', () => {
  const index = buildSearchIndex(catalog);

  it('normalises case, accents and spaces', () => {
    expect(normalizeTitle('  Amélie   Poulain ')).toBe('amelie poulain');
  });

  it('ranks prefix matches first, then word starts, then alphabetically', () => {
    expect(searchCatalog(index, 'story', 10).map((i) => i.id)).toEqual([3, 1, 4]);
    expect(searchCatalog(index, 'TOY', 10).map((i) => i.id)).toEqual([1, 4]);
    // 'r': Rock… start with it; 'The Matrix Reloaded' has a word starting with it; the rest hold it inside a word
    expect(searchCatalog(index, 'r', 10).map((i) => i.id)).toEqual([6, 7, 10, 8, 9, 3, 1, 4]);
  });

  it('finds a title as the page shows it ("The Rock"), as cataloged ("Rock, The") and by its name alone', () => {
    expect(searchCatalog(index, 'The Rock', 10).map((i) => i.id)).toEqual([6]);
    expect(searchCatalog(index, 'rock, the', 10).map((i) => i.id)).toEqual([6]);
    // the whole title before titles that only start with it
    expect(searchCatalog(index, 'rock', 10).map((i) => i.id)).toEqual([6, 7, 10]);
    expect(searchCatalog(index, 'matrix', 10).map((i) => i.id)).toEqual([9, 8]);
    expect(searchCatalog(index, 'the matrix', 10).map((i) => i.id)).toEqual([9, 8]);
  });

  it('matches without accents and respects the limit', () => {
    expect(searchCatalog(index, 'amelie', 10).map((i) => i.id)).toEqual([2]);
    expect(searchCatalog(index, 'o', 2)).toHaveLength(2);
  });

  it('returns nothing for an empty or blank query', () => {
    expect(searchCatalog(index, '   ', 10)).toEqual([]);
  });
});
