/**
 * Readers for MovieLens 100K: `u.data` (tab-separated ratings), `u.item` (`|`-separated, ISO-8859-1,
 * 19 genre flags) and `u.genre` (`name|index`, gives the flag names).
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
import { splitTitleYear } from '../title.ts';
import type { Interaction, ItemMeta } from '../types.ts';

/** Number of genre flag columns at the end of every u.item line. */
export const ML100K_GENRE_COUNT = 19;

/** Read `u.data`: `user<TAB>item<TAB>rating<TAB>timestamp`. */
export function readMl100kData(input: TextInput, source = 'u.data'): Interaction[] {
  const out: Interaction[] = [];
  for (const { text, line } of nonEmptyLines(decodeText(input))) {
    const fields = text.split('\t');
    expectFieldCount(fields, 4, { source, line, text }, '4 tab-separated fields user item rating timestamp');
    out.push({
      user: parseKeyField(fields[0], { source, line, field: 'user id' }),
      item: parseKeyField(fields[1], { source, line, field: 'item id' }),
      rating: parseNumberField(fields[2], { source, line, field: 'rating' }),
      timestamp: parseNumberField(fields[3], { source, line, field: 'timestamp' }),
    });
  }
  return out;
}

/** Read `u.genre` (`name|index`) into names ordered by index; [19]. */
export function readMl100kGenres(input: TextInput, source = 'u.genre'): string[] {
  const names: string[] = [];
  for (const { text, line } of nonEmptyLines(decodeText(input, 'latin1'))) {
    const fields = text.split('|');
    expectFieldCount(fields, 2, { source, line, text }, '2 "|"-separated fields genre|index');
    const index = parseNumberField(fields[1], { source, line, field: 'index' });
    if (!Number.isInteger(index) || index < 0 || index >= ML100K_GENRE_COUNT || names[index] !== undefined) {
      throw new DataFormatError(source, line, `a distinct genre index 0..${ML100K_GENRE_COUNT - 1}`, text);
    }
    names[index] = fields[0];
  }
  return names;
}

/**
 * Read `u.item`: `id|title|release date|video release date|IMDb URL|19 genre flags` (latin1).
 * @param genreNames from `readMl100kGenres`; flag j set → genre genreNames[j]
 */
export function readMl100kItems(
  input: TextInput,
  genreNames: readonly string[],
  source = 'u.item',
): ItemMeta[] {
  const out: ItemMeta[] = [];
  const width = 5 + ML100K_GENRE_COUNT;
  for (const { text, line } of nonEmptyLines(decodeText(input, 'latin1'))) {
    const fields = text.split('|');
    expectFieldCount(
      fields,
      width,
      { source, line, text },
      `${width} "|"-separated fields (id|title|dates|url|19 genre flags)`,
    );
    const genres: string[] = [];
    for (let j = 0; j < ML100K_GENRE_COUNT; j++) {
      const flag = fields[5 + j];
      if (flag !== '0' && flag !== '1')
        throw new DataFormatError(source, line, `genre flag ${j + 1} to be 0 or 1`, flag);
      if (flag === '1') genres.push(genreNames[j] ?? `genre ${j}`);
    }
    const { title, year } = splitTitleYear(fields[1]);
    out.push({
      key: parseKeyField(fields[0], { source, line, field: 'item id' }),
      title,
      ...(year === undefined ? {} : { year }),
      genres: genres.filter((g) => g !== 'unknown'),
    });
  }
  return out;
}
