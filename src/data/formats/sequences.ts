/**
 * Readers for the two whitespace-separated formats of the sequential-recommendation literature:
 *  - SASRec: one `user item` pair per line, each user's lines in time order (kang205/SASRec data/*.txt);
 *  - sequence per line: `user item item …`, items in time order (S3Rec's Beauty.txt).
 * Neither has timestamps: file order is time order.
 */
import { DataFormatError } from '../errors.ts';
import { decodeText, nonEmptyLines, type TextInput } from '../text.ts';
import type { Interaction } from '../types.ts';

const WHITESPACE = /\s+/;

/** Read SASRec `user item` lines. */
export function readSasrecPairs(input: TextInput, source = 'sequences.txt'): Interaction[] {
  const out: Interaction[] = [];
  for (const { text, line } of nonEmptyLines(decodeText(input))) {
    const fields = text.trim().split(WHITESPACE);
    if (fields.length !== 2)
      throw new DataFormatError(source, line, 'two whitespace-separated fields "user item"', text);
    out.push({ user: fields[0], item: fields[1] });
  }
  return out;
}

/** Read `user item item …` lines (one user per line, at least one item). */
export function readSequencePerLine(input: TextInput, source = 'sequences.txt'): Interaction[] {
  const out: Interaction[] = [];
  for (const { text, line } of nonEmptyLines(decodeText(input))) {
    const fields = text.trim().split(WHITESPACE);
    if (fields.length < 2)
      throw new DataFormatError(
        source,
        line,
        'a user followed by at least one item "user item item …"',
        text,
      );
    const user = fields[0];
    for (let i = 1; i < fields.length; i++) out.push({ user, item: fields[i] });
  }
  return out;
}

/**
 * Guess which of the two formats a text is in from its first lines: any line with more than two
 * fields means sequence-per-line; otherwise SASRec pairs.
 */
export function guessSequenceFormat(text: string, linesToCheck = 50): 'sasrec-pairs' | 'sequence-per-line' {
  let checked = 0;
  for (const { text: line } of nonEmptyLines(text)) {
    if (line.trim().split(WHITESPACE).length > 2) return 'sequence-per-line';
    if (++checked >= linesToCheck) break;
  }
  return 'sasrec-pairs';
}
