/**
 * Node-only: resolve `--data <name|path>` to a Dataset. Used by the training and eval CLIs.
 *
 * Names:
 *  - `ml-latest-small`: public/data/ml-latest-small (bundled), else <shared>/ml-latest-small
 *  - `ml-1m`: <shared>/ml-1m-full/sequences.txt (the genuine SASRec ml-1m.txt). SASRec's item
 *    numbering is kept as the dense ids (results compare with the paper); keys and titles come
 *    from <shared>/ml-1m-sasrec/sas_to_original_items.txt → <shared>/ml-1m/movies.dat.
 *  - `beauty`: <shared>/amazon-beauty/s3rec/Beauty.txt (no titles: "Item <id>")
 *  - `ml-100k`: <shared>/ml-100k
 * <shared> is $LOCALREC_SHARED_DATA or <repo>/../shared/data. Anything else is taken as a path.
 */
import { join } from 'node:path';
import { buildDataset } from '../build.ts';
import { DataFormatError, DatasetBuildError, DatasetNotFoundError } from '../errors.ts';
import { readMovieLensMoviesDat } from '../formats/movielens-dat.ts';
import { readSasrecPairs } from '../formats/sequences.ts';
import { decodeText, nonEmptyLines } from '../text.ts';
import type { Dataset } from '../types.ts';
import { detectDataSource } from './detect.ts';
import { loadDataSource, readBytes, type LoadOptions } from './load-source.ts';
import { isDirectory, isFile, repoRoot, sharedDataDir } from './locate.ts';

export type { LoadOptions } from './load-source.ts';

/** Data set names `loadNamedDataset` knows. */
export const DATASET_NAMES = ['ml-latest-small', 'ml-1m', 'beauty', 'ml-100k'] as const;
/** One of DATASET_NAMES. */
export type DatasetName = (typeof DATASET_NAMES)[number];

/**
 * Load a data set by name or path.
 * @throws DatasetNotFoundError when the files are missing (the message says where to put them)
 * @throws DataFormatError when a file is malformed
 */
export async function loadNamedDataset(nameOrPath: string, options: LoadOptions = {}): Promise<Dataset> {
  const shared = sharedDataDir();
  switch (nameOrPath) {
    case 'ml-latest-small': {
      const dir = [
        join(repoRoot(), 'public', 'data', 'ml-latest-small'),
        join(shared, 'ml-latest-small'),
      ].find((d) => isFile(join(d, 'ratings.csv')));
      if (!dir)
        throw missing('ml-latest-small', 'public/data/ml-latest-small/ratings.csv (bundled with the repo)');
      return rename(await loadDataSource(detectDataSource(dir), options), 'ml-latest-small');
    }
    case 'ml-1m':
      return loadMl1mSasrec(shared, options);
    case 'beauty': {
      const file = join(shared, 'amazon-beauty', 's3rec', 'Beauty.txt');
      if (!isFile(file)) throw missing('beauty', file);
      return rename(
        await loadDataSource({ kind: 'sequence-per-line', name: 'beauty', file }, options),
        'beauty',
      );
    }
    case 'ml-100k': {
      const dir = join(shared, 'ml-100k');
      if (!isDirectory(dir)) throw missing('ml-100k', `${dir}/u.data, u.item, u.genre`);
      return rename(await loadDataSource(detectDataSource(dir), options), 'ml-100k');
    }
    default:
      return loadDataSource(detectDataSource(nameOrPath), options);
  }
}

/** ML-1M in SASRec's preprocessing, keeping SASRec item ids as dense ids. */
async function loadMl1mSasrec(shared: string, options: LoadOptions): Promise<Dataset> {
  const sequences = join(shared, 'ml-1m-full', 'sequences.txt');
  const mapping = join(shared, 'ml-1m-sasrec', 'sas_to_original_items.txt');
  const movies = join(shared, 'ml-1m', 'movies.dat');
  for (const file of [sequences, mapping, movies]) if (!isFile(file)) throw missing('ml-1m', file);
  const sasToMovie = readIdMap(await readBytes(mapping), mapping); // [3416] movie id by sas id - 1
  const interactions = readSasrecPairs(await readBytes(sequences), sequences).map((x) => {
    const movie = sasToMovie[Number(x.item) - 1];
    if (movie === undefined)
      throw new DatasetBuildError(`ml-1m: SASRec item ${x.item} is not in ${mapping}.`);
    return { user: x.user, item: movie };
  });
  const dataset = buildDataset('ml-1m', interactions, {
    ...options,
    items: readMovieLensMoviesDat(await readBytes(movies), movies),
    itemOrder: sasToMovie,
  });
  return dataset;
}

/** Read `sasId originalId` lines into originals ordered by sas id (1..N, all present). */
function readIdMap(bytes: Uint8Array, source: string): string[] {
  const out: string[] = [];
  for (const { text, line } of nonEmptyLines(decodeText(bytes))) {
    const [sas, original, extra] = text.trim().split(/\s+/);
    const index = Number(sas) - 1;
    if (
      extra !== undefined ||
      original === undefined ||
      !Number.isInteger(index) ||
      index < 0 ||
      out[index] !== undefined
    ) {
      throw new DataFormatError(source, line, '"sasId originalId" with a new integer sasId ≥ 1', text);
    }
    out[index] = original;
  }
  const hole = out.findIndex((x) => x === undefined);
  if (hole >= 0)
    throw new DatasetBuildError(
      `${source}: SASRec id ${hole + 1} has no original id; the mapping must cover 1..N.`,
    );
  return out;
}

function rename(dataset: Dataset, name: string): Dataset {
  return { ...dataset, name };
}

function missing(name: string, where: string): DatasetNotFoundError {
  return new DatasetNotFoundError(
    `Data set "${name}" not found: expected ${where}. Put the files there (see ../shared/data/README.md for sources), ` +
      'set LOCALREC_SHARED_DATA to the directory that holds them, or pass --data <path>.',
  );
}
