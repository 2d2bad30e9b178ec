/**
 * Readers for MovieLens 1M/10M `::`-separated `.dat` files. They are ISO-8859-1: pass the raw
 * bytes (Uint8Array) and they are decoded as latin1; a string is taken as already decoded.
 */
import { DataFormatError } from '../errors.ts';
import {
  decodeText,
  expectFieldCount,
  nonEmptyLines,
  parseKeyField,
  parseNumberField,
  type TextInput,
} from '../text.ts';
import { splitGenres, splitTitleYear } from '../title.ts';
import type { Interaction, ItemMeta } from '../types.ts';

/** Read `movies.dat`: `MovieID::Title (Year)::Genre1|Genre2`. */
export function readMovieLensMoviesDat(input: TextInput, source = 'movies.dat'): ItemMeta[] {
  const out: ItemMeta[] = [];
  for (const { text, line } of nonEmptyLines(decodeText(input, 'latin1'))) {
    const fields = text.split('::');
    expectFieldCount(
      fields,
      3,
      { source, line, text },
      '3 "::"-separated fields MovieID::Title (Year)::Genres',
    );
    const { title, year } = splitTitleYear(fields[1]);
    if (title === '') throw new DataFormatError(source, line, 'a non-empty title', text);
    out.push({
      key: parseKeyField(fields[0], { source, line, field: 'MovieID' }),
      title,
      ...(year === undefined ? {} : { year }),
      genres: splitGenres(fields[2]),
    });
  }
  return out;
}

/** Read `ratings.dat`: `UserID::MovieID::Rating::Timestamp`. */
export function readMovieLensRatingsDat(input: TextInput, source = 'ratings.dat'): Interaction[] {
  const out: Interaction[] = [];
  for (const { text, line } of nonEmptyLines(decodeText(input, 'latin1'))) {
    const fields = text.split('::');
    expectFieldCount(
      fields,
      4,
      { source, line, text },
      '4 "::"-separated fields UserID::MovieID::Rating::Timestamp',
    );
    out.push({
      user: parseKeyField(fields[0], { source, line, field: 'UserID' }),
      item: parseKeyField(fields[1], { source, line, field: 'MovieID' }),
      rating: parseNumberField(fields[2], { source, line, field: 'Rating' }),
      timestamp: parseNumberField(fields[3], { source, line, field: 'Timestamp' }),
    });
  }
  return out;
}
