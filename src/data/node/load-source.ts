/**
 * Node-only: read a detected data source from disk and build the Dataset.
 */
import { readFile } from 'node:fs/promises';
import { buildDataset, type BuildOptions } from '../build.ts';
import { readGenericInteractionsCsv } from '../formats/generic-csv.ts';
import { readMl100kData, readMl100kGenres, readMl100kItems } from '../formats/ml-100k.ts';
import {
  readMovieLensMoviesCsv,
  readMovieLensRatingsCsv,
  readMovieLensTagsCsv,
} from '../formats/movielens-csv.ts';
import { readMovieLensMoviesDat, readMovieLensRatingsDat } from '../formats/movielens-dat.ts';
import { readSasrecPairs, readSequencePerLine } from '../formats/sequences.ts';
import type { Dataset, Interaction, ItemMeta, TagRecord } from '../types.ts';
import type { DataSource } from './detect.ts';

/** Filters and catalog options the loader passes to `buildDataset` (metadata comes from the files). */
export type LoadOptions = Pick<
  BuildOptions,
  'minRating' | 'minUserInteractions' | 'minItemInteractions' | 'tagsPerItem'
>;

/** Raw bytes of a file (readers decode; .dat and u.item are latin1). */
export async function readBytes(path: string): Promise<Uint8Array> {
  return new Uint8Array(await readFile(path));
}

/** Read a data source and build its Dataset. */
export async function loadDataSource(source: DataSource, options: LoadOptions = {}): Promise<Dataset> {
  const parts = await readParts(source);
  return buildDataset(source.name, parts.interactions, { ...options, items: parts.items, tags: parts.tags });
}

interface Parts {
  interactions: Interaction[];
  items?: ItemMeta[];
  tags?: TagRecord[];
}

async function readParts(source: DataSource): Promise<Parts> {
  const optional = async <T>(path: string | undefined, read: (bytes: Uint8Array, name: string) => T) =>
    path === undefined ? undefined : read(await readBytes(path), path);
  switch (source.kind) {
    case 'movielens-csv':
      return {
        interactions: readMovieLensRatingsCsv(await readBytes(source.ratings), source.ratings),
        items: await optional(source.movies, readMovieLensMoviesCsv),
        tags: await optional(source.tags, readMovieLensTagsCsv),
      };
    case 'movielens-dat':
      return {
        interactions: readMovieLensRatingsDat(await readBytes(source.ratings), source.ratings),
        items: await optional(source.movies, readMovieLensMoviesDat),
      };
    case 'ml-100k': {
      const genres = (await optional(source.genres, readMl100kGenres)) ?? [];
      return {
        interactions: readMl100kData(await readBytes(source.data), source.data),
        items: await optional(source.items, (bytes, name) => readMl100kItems(bytes, genres, name)),
      };
    }
    case 'sasrec-pairs':
      return { interactions: readSasrecPairs(await readBytes(source.file), source.file) };
    case 'sequence-per-line':
      return { interactions: readSequencePerLine(await readBytes(source.file), source.file) };
    case 'generic-csv':
      return { interactions: readGenericInteractionsCsv(await readBytes(source.file), source.file) };
  }
}
