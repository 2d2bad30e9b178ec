/** A hand-made catalog for explanation and chat tests (ids 1..8, titles chosen to be checkable). */
import type { CatalogItem } from '../../src/data/types.ts';

/** [8] items, id i at index i − 1. */
export const TINY_CATALOG: CatalogItem[] = [
  { id: 1, key: 'a', title: 'Alien', year: 1979, genres: ['Horror', 'Sci-Fi'], tags: ['space'] },
  { id: 2, key: 'b', title: 'Aliens', year: 1986, genres: ['Action', 'Sci-Fi'], tags: ['space', 'sequel'] },
  {
    id: 3,
    key: 'c',
    title: 'Galaxy Quest',
    year: 1999,
    genres: ['Comedy', 'Sci-Fi'],
    tags: ['space', 'parody'],
  },
  { id: 4, key: 'd', title: 'Clueless', year: 1995, genres: ['Comedy', 'Romance'], tags: [] },
  { id: 5, key: 'e', title: 'Heat', year: 1995, genres: ['Action', 'Crime'], tags: ['heist'] },
  { id: 6, key: 'f', title: 'Scream', year: 1996, genres: ['Horror', 'Comedy'], tags: ['slasher'] },
  { id: 7, key: 'g', title: 'Spaceballs', year: 1987, genres: ['Comedy', 'Sci-Fi'], tags: ['parody'] },
  { id: 8, key: 'h', title: 'Untitled', genres: ['(no genres listed)'], tags: [] },
];

/** Lookup by dense id. */
export const tinyItemById = (id: number): CatalogItem | undefined => TINY_CATALOG[id - 1];
