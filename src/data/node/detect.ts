/**
 * Node-only: recognise the format of a data path (a directory or a file) from its file names and
 * first line, so `--data <path>` works on any supported format.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { DatasetNotFoundError } from '../errors.ts';
import { looksLikeGenericHeader } from '../formats/generic-csv.ts';
import { guessSequenceFormat } from '../formats/sequences.ts';
import { isDirectory, isFile } from './locate.ts';

/** A recognised data source on disk. */
export type DataSource =
  | { kind: 'movielens-csv'; name: string; ratings: string; movies?: string; tags?: string }
  | { kind: 'movielens-dat'; name: string; ratings: string; movies?: string }
  | { kind: 'ml-100k'; name: string; data: string; items?: string; genres?: string }
  | { kind: 'sasrec-pairs' | 'sequence-per-line' | 'generic-csv'; name: string; file: string };

const PROBE_BYTES = 64 * 1024;

/** Detect the format of a directory or file. @throws DatasetNotFoundError when unrecognised */
export function detectDataSource(path: string): DataSource {
  if (isDirectory(path)) return detectDirectory(path);
  if (isFile(path)) return detectFile(path);
  throw new DatasetNotFoundError(
    `Data path "${path}" does not exist. Pass a data set name or an existing file or directory.`,
  );
}

function detectDirectory(dir: string): DataSource {
  const name = basename(dir);
  const has = (file: string) => (isFile(join(dir, file)) ? join(dir, file) : undefined);
  if (has('ratings.csv')) return movieLensCsv(name, join(dir, 'ratings.csv'));
  if (has('ratings.dat'))
    return { kind: 'movielens-dat', name, ratings: join(dir, 'ratings.dat'), movies: has('movies.dat') };
  if (has('u.data'))
    return { kind: 'ml-100k', name, data: join(dir, 'u.data'), items: has('u.item'), genres: has('u.genre') };
  const sequences = has('sequences.txt');
  if (sequences) return { kind: guessSequenceFormat(head(sequences)), name, file: sequences };
  throw new DatasetNotFoundError(
    `No known data files in "${dir}": expected ratings.csv (MovieLens), ratings.dat (ML-1M), u.data (ML-100K) or ` +
      'sequences.txt (SASRec). Point --data at the file itself for other names.',
  );
}

function detectFile(file: string): DataSource {
  const name = basename(file, extname(file));
  const first = firstLine(head(file));
  const sibling = (other: string) =>
    isFile(join(dirname(file), other)) ? join(dirname(file), other) : undefined;
  if (extname(file).toLowerCase() === '.csv') {
    const header = first
      .toLowerCase()
      .split(',')
      .map((f) => f.trim());
    const isMovieLens = ['userid', 'movieid', 'rating', 'timestamp'].every((c) => header.includes(c));
    if (isMovieLens && basename(file) === 'ratings.csv') return movieLensCsv(basename(dirname(file)), file);
    return { kind: 'generic-csv', name, file };
  }
  if (looksLikeGenericHeader(first)) return { kind: 'generic-csv', name, file };
  if (first.includes('::'))
    return { kind: 'movielens-dat', name, ratings: file, movies: sibling('movies.dat') };
  if (first.split('\t').length === 4)
    return { kind: 'ml-100k', name, data: file, items: sibling('u.item'), genres: sibling('u.genre') };
  return { kind: guessSequenceFormat(head(file)), name, file };
}

function movieLensCsv(name: string, ratings: string): DataSource {
  const dir = dirname(ratings);
  const optional = (file: string) => (isFile(join(dir, file)) ? join(dir, file) : undefined);
  return { kind: 'movielens-csv', name, ratings, movies: optional('movies.csv'), tags: optional('tags.csv') };
}

/** The first PROBE_BYTES of a file as latin1 text (enough to see its format), cut at the last line end. */
function head(file: string): string {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(PROBE_BYTES);
    const n = readSync(fd, buffer, 0, PROBE_BYTES, 0);
    const text = buffer.subarray(0, n).toString('latin1');
    const cut = n === PROBE_BYTES ? text.lastIndexOf('\n') : -1;
    return cut > 0 ? text.slice(0, cut) : text;
  } finally {
    closeSync(fd);
  }
}

function firstLine(text: string): string {
  const end = text.indexOf('\n');
  return (end < 0 ? text : text.slice(0, end)).replace(/\r$/, '').replace(/^\ufeff/, '');
}
