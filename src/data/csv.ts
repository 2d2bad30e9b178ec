/**
 * A small RFC-4180 CSV parser: comma-separated (or another one-character delimiter), fields optionally double-quoted, `""` inside
 * quotes is a quote, quoted fields may contain commas and line breaks, records end at LF or CRLF.
 * Each record carries the 1-based line on which it starts. Browser-safe.
 */
import { DataFormatError } from './errors.ts';

/** One parsed CSV record. */
export interface CsvRecord {
  fields: string[];
  /** 1-based line where the record starts */
  line: number;
}

/** Field delimiters the readers accept. */
export type CsvDelimiter = ',' | '\t' | ';';

/**
 * Parse CSV text record by record. Blank lines are skipped.
 * @param source name used in error messages (e.g. "ratings.csv")
 * @throws DataFormatError on an unterminated quoted field or text after a closing quote
 */
export function* parseCsv(text: string, source: string, delimiter: CsvDelimiter = ','): Generator<CsvRecord> {
  const sep = delimiter.charCodeAt(0);
  let pos = 0;
  let line = 1;
  const length = text.length;
  while (pos < length) {
    const startLine = line;
    const fields: string[] = [];
    let endOfRecord = false;
    while (!endOfRecord) {
      let value: string;
      if (text.charCodeAt(pos) === 34 /* " */) {
        const quoted = readQuoted(text, pos + 1, source, startLine);
        value = quoted.value;
        line += quoted.newlines;
        pos = quoted.next;
        const after = text.charCodeAt(pos);
        if (pos < length && after !== sep && after !== 10 && after !== 13) {
          throw new DataFormatError(
            source,
            line,
            `a delimiter or line end after a closing quote`,
            text.slice(pos, pos + 20),
          );
        }
      } else {
        let end = pos;
        while (end < length) {
          const c = text.charCodeAt(end);
          if (c === sep || c === 10 || c === 13) break;
          end++;
        }
        value = text.slice(pos, end);
        pos = end;
      }
      fields.push(value);
      const c = text.charCodeAt(pos);
      if (c === sep) {
        pos++;
      } else {
        if (c === 13 && text.charCodeAt(pos + 1) === 10) pos++;
        if (pos < length) pos++;
        line++;
        endOfRecord = true;
      }
    }
    if (fields.length === 1 && fields[0].trim() === '') continue;
    yield { fields, line: startLine };
  }
}

function readQuoted(
  text: string,
  start: number,
  source: string,
  line: number,
): { value: string; next: number; newlines: number } {
  let value = '';
  let pos = start;
  let newlines = 0;
  for (;;) {
    const quote = text.indexOf('"', pos);
    if (quote < 0)
      throw new DataFormatError(
        source,
        line,
        'a closing double quote for the quoted field',
        text.slice(start - 1, start + 40),
      );
    const piece = text.slice(pos, quote);
    value += piece;
    newlines += countNewlines(piece);
    if (text.charCodeAt(quote + 1) === 34) {
      value += '"';
      pos = quote + 2;
    } else {
      return { value, next: quote + 1, newlines };
    }
  }
}

function countNewlines(piece: string): number {
  let count = 0;
  for (let i = piece.indexOf('\n'); i >= 0; i = piece.indexOf('\n', i + 1)) count++;
  return count;
}

/** A CSV header row mapped to column indices by lower-cased name. */
export interface CsvHeader {
  names: string[];
  /** index of a column by any of its aliases (case-insensitive), or -1 */
  find(aliases: readonly string[]): number;
}

/** Build a header lookup from the first record. */
export function csvHeader(fields: readonly string[]): CsvHeader {
  const names = fields.map((f) => f.trim().toLowerCase());
  return {
    names,
    find: (aliases) => names.findIndex((name) => aliases.includes(name)),
  };
}

/** The delimiter (comma, tab or semicolon) that occurs most often in a header line; comma on a tie. */
export function guessDelimiter(headerLine: string): CsvDelimiter {
  const count = (d: string) => headerLine.split(d).length - 1;
  const candidates: CsvDelimiter[] = [',', '\t', ';'];
  return candidates.reduce((best, d) => (count(d) > count(best) ? d : best), ',' as CsvDelimiter);
}
