/**
 * Text helpers shared by all readers: decoding (UTF-8 or ISO-8859-1), line iteration with 1-based
 * line numbers (LF or CRLF), and strict number parsing that reports the line on failure.
 * Browser-safe: no Node APIs.
 */
import { DataFormatError } from './errors.ts';

/** Character encodings the MovieLens files use. */
export type TextEncoding = 'utf-8' | 'latin1';

/** Input accepted by every reader: already-decoded text or the file's raw bytes. */
export type TextInput = string | Uint8Array;

/**
 * Decode file content. Strings pass through. Bytes are decoded as UTF-8 or as true ISO-8859-1
 * (byte n → U+00nn; not windows-1252, which browsers substitute for the label "latin1").
 * A leading byte-order mark is removed.
 */
export function decodeText(input: TextInput, encoding: TextEncoding = 'utf-8'): string {
  const text = typeof input === 'string' ? input : encoding === 'latin1' ? decodeLatin1(input) : utf8(input);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function utf8(bytes: Uint8Array): string {
  return new TextDecoder('utf-8').decode(bytes);
}

function decodeLatin1(bytes: Uint8Array): string {
  const chunk = 0x8000;
  let out = '';
  for (let start = 0; start < bytes.length; start += chunk) {
    const part = bytes.subarray(start, Math.min(bytes.length, start + chunk)); // [≤ chunk]
    out += String.fromCharCode.apply(null, part as unknown as number[]);
  }
  return out;
}

/** One non-empty line of a file with its 1-based number (CR of CRLF removed). */
export interface NumberedLine {
  text: string;
  line: number;
}

/** Iterate the lines of `text`, skipping empty or whitespace-only lines. */
export function* nonEmptyLines(text: string): Generator<NumberedLine> {
  let line = 0;
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    line++;
    const raw =
      text.charCodeAt(end - 1) === 13 && end > start ? text.slice(start, end - 1) : text.slice(start, end);
    if (raw.trim() !== '') yield { text: raw, line };
    start = end + 1;
  }
}

/** Where a value came from, for error messages. */
export interface FieldContext {
  source: string;
  line: number;
  /** field name shown in the message, e.g. "rating" */
  field: string;
}

/** Parse a finite number or throw a DataFormatError naming the field and line. */
export function parseNumberField(value: string, at: FieldContext): number {
  const trimmed = value.trim();
  const number = trimmed === '' ? NaN : Number(trimmed);
  if (!Number.isFinite(number)) {
    throw new DataFormatError(at.source, at.line, `a number in field "${at.field}"`, value);
  }
  return number;
}

/** Parse a non-empty key (user or item) or throw a DataFormatError. */
export function parseKeyField(value: string, at: FieldContext): string {
  const trimmed = value.trim();
  if (trimmed === '') throw new DataFormatError(at.source, at.line, `a non-empty "${at.field}"`, value);
  return trimmed;
}

/** Throw unless a line split into exactly / at least `count` fields. */
export function expectFieldCount(
  fields: readonly string[],
  count: number,
  at: { source: string; line: number; text: string },
  description: string,
  atLeast = false,
): void {
  const ok = atLeast ? fields.length >= count : fields.length === count;
  if (!ok) throw new DataFormatError(at.source, at.line, description, at.text);
}
