/**
 * Item titles from the interactions CSV itself, when it has a title column (title, name,
 * item_name, product_name, movie_title): the first non-empty title seen for each item key. A
 * trailing "(1995)" becomes the year, as in MovieLens titles.
 */
import { guessDelimiter } from '../data/csv.ts';
import { readCsvTable } from '../data/csv-table.ts';
import { GENERIC_COLUMNS } from '../data/formats/generic-csv.ts';
import { splitTitleYear } from '../data/title.ts';

/** Accepted header names of the optional title column (compared lower-cased). */
export const TITLE_ALIASES = ['title', 'name', 'item_name', 'product_name', 'movie_title'] as const;

/** A title and its year, when the CSV names the item. */
export interface ItemTitle {
  title: string;
  year?: number;
}

/** Item key → title; empty when the CSV has no title column. */
export function readItemTitles(text: string, source: string): Map<string, ItemTitle> {
  const titles = new Map<string, ItemTitle>();
  const firstLineEnd = text.indexOf('\n');
  const delimiter = guessDelimiter(firstLineEnd < 0 ? text : text.slice(0, firstLineEnd));
  const columns = { item: GENERIC_COLUMNS.item, title: { aliases: TITLE_ALIASES, required: false } };
  for (const { values } of readCsvTable(text, source, columns, delimiter)) {
    if (values.title === undefined) return titles; // no title column: nothing to read
    const key = (values.item ?? '').trim();
    const raw = values.title.trim();
    if (key && raw && !titles.has(key)) titles.set(key, splitTitleYear(raw));
  }
  return titles;
}
