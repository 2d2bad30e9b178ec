/**
 * A site's own interaction log as CSV (comma, tab or semicolon, guessed from the header) with a header: columns user and item (required), rating and
 * timestamp (optional), found under common names (userId, user_id, itemId, movieId, item_id, ts …).
 * Timestamps may be numbers (Unix seconds or ms — only their order matters) or ISO-8601 dates.
 */
import { guessDelimiter } from '../csv.ts';
import { readCsvTable, type ColumnSpec } from '../csv-table.ts';
import { DataFormatError } from '../errors.ts';
import { decodeText, parseKeyField, parseNumberField, type TextInput } from '../text.ts';
import type { Interaction } from '../types.ts';

/** Accepted header names per column (compared lower-cased). */
export const GENERIC_COLUMNS = {
  user: {
    aliases: [
      'user',
      'userid',
      'user_id',
      'uid',
      'customer',
      'customer_id',
      'customerid',
      'visitor_id',
      'visitorid',
    ],
    required: true,
  },
  item: {
    aliases: [
      'item',
      'itemid',
      'item_id',
      'iid',
      'movieid',
      'movie_id',
      'productid',
      'product_id',
      'asin',
      'sku',
    ],
    required: true,
  },
  rating: { aliases: ['rating', 'score', 'stars', 'value'], required: false },
  timestamp: {
    aliases: ['timestamp', 'ts', 'time', 'datetime', 'date', 'created_at', 'unix_time'],
    required: false,
  },
} satisfies Record<string, ColumnSpec>;

/** Read a generic interactions CSV. Empty optional cells are treated as absent. */
export function readGenericInteractionsCsv(input: TextInput, source = 'interactions.csv'): Interaction[] {
  const text = decodeText(input);
  const out: Interaction[] = [];
  const firstLineEnd = text.indexOf('\n');
  const delimiter = guessDelimiter(firstLineEnd < 0 ? text : text.slice(0, firstLineEnd));
  for (const { values, line } of readCsvTable(text, source, GENERIC_COLUMNS, delimiter)) {
    const record: Interaction = {
      user: parseKeyField(values.user!, { source, line, field: 'user' }),
      item: parseKeyField(values.item!, { source, line, field: 'item' }),
    };
    if (values.rating !== undefined && values.rating.trim() !== '') {
      record.rating = parseNumberField(values.rating, { source, line, field: 'rating' });
    }
    if (values.timestamp !== undefined && values.timestamp.trim() !== '') {
      record.timestamp = parseTimestamp(values.timestamp, source, line);
    }
    out.push(record);
  }
  return out;
}

function parseTimestamp(value: string, source: string, line: number): number {
  const trimmed = value.trim();
  const numeric = Number(trimmed);
  if (Number.isFinite(numeric)) return numeric;
  const ms = Date.parse(trimmed);
  if (Number.isNaN(ms)) {
    throw new DataFormatError(source, line, 'a timestamp as a number (Unix time) or an ISO-8601 date', value);
  }
  return ms / 1000;
}

/** True when a header line names a user and an item column (under any accepted alias). */
export function looksLikeGenericHeader(headerLine: string): boolean {
  const names = headerLine
    .split(guessDelimiter(headerLine))
    .map((n) => n.trim().replace(/^"|"$/g, '').toLowerCase());
  return [GENERIC_COLUMNS.user, GENERIC_COLUMNS.item].every((c) => names.some((n) => c.aliases.includes(n)));
}
