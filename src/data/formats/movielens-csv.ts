/**
 * Readers for MovieLens "latest" CSV files (ml-latest-small): ratings.csv, movies.csv, tags.csv.
 * RFC-4180 CSV with a header row, UTF-8, CRLF or LF.
 */
import { readCsvTable } from '../csv-table.ts';
import { decodeText, parseKeyField, parseNumberField, type TextInput } from '../text.ts';
import { splitGenres, splitTitleYear } from '../title.ts';
import type { Interaction, ItemMeta, TagRecord } from '../types.ts';

const USER = { aliases: ['userid'], required: true } as const;
const MOVIE = { aliases: ['movieid'], required: true } as const;

/** Read `ratings.csv` (`userId,movieId,rating,timestamp`) in file order. */
export function readMovieLensRatingsCsv(input: TextInput, source = 'ratings.csv'): Interaction[] {
  const columns = {
    user: USER,
    item: MOVIE,
    rating: { aliases: ['rating'], required: true },
    timestamp: { aliases: ['timestamp'], required: true },
  };
  const out: Interaction[] = [];
  for (const { values, line } of readCsvTable(decodeText(input), source, columns)) {
    out.push({
      user: parseKeyField(values.user!, { source, line, field: 'userId' }),
      item: parseKeyField(values.item!, { source, line, field: 'movieId' }),
      rating: parseNumberField(values.rating!, { source, line, field: 'rating' }),
      timestamp: parseNumberField(values.timestamp!, { source, line, field: 'timestamp' }),
    });
  }
  return out;
}

/** Read `movies.csv` (`movieId,title,genres`); the year is split off the title. */
export function readMovieLensMoviesCsv(input: TextInput, source = 'movies.csv'): ItemMeta[] {
  const columns = {
    item: MOVIE,
    title: { aliases: ['title'], required: true },
    genres: { aliases: ['genres'], required: true },
  };
  const out: ItemMeta[] = [];
  for (const { values, line } of readCsvTable(decodeText(input), source, columns)) {
    const { title, year } = splitTitleYear(values.title!);
    out.push({
      key: parseKeyField(values.item!, { source, line, field: 'movieId' }),
      title,
      ...(year === undefined ? {} : { year }),
      genres: splitGenres(values.genres!),
    });
  }
  return out;
}

/** Read `tags.csv` (`userId,movieId,tag,timestamp`); empty tags are skipped. */
export function readMovieLensTagsCsv(input: TextInput, source = 'tags.csv'): TagRecord[] {
  const columns = {
    user: USER,
    item: MOVIE,
    tag: { aliases: ['tag'], required: true },
    timestamp: { aliases: ['timestamp'], required: false },
  };
  const out: TagRecord[] = [];
  for (const { values, line } of readCsvTable(decodeText(input), source, columns)) {
    const tag = values.tag!.trim();
    if (tag === '') continue;
    const record: TagRecord = {
      user: parseKeyField(values.user!, { source, line, field: 'userId' }),
      item: parseKeyField(values.item!, { source, line, field: 'movieId' }),
      tag,
    };
    if (values.timestamp !== undefined && values.timestamp.trim() !== '') {
      record.timestamp = parseNumberField(values.timestamp, { source, line, field: 'timestamp' });
    }
    out.push(record);
  }
  return out;
}
