import { describe, expect, it } from 'vitest';
import { DataFormatError } from '../../src/data/errors.ts';
import { decodeText, nonEmptyLines, parseNumberField } from '../../src/data/text.ts';

describe('decodeText', () => {
  it('decodes ISO-8859-1 bytes one byte per code point (not windows-1252)', () => {
    const bytes = Uint8Array.from([0x4d, 0x69, 0x73, 0xe9, 0x80]); // "Misé" + 0x80
    expect(decodeText(bytes, 'latin1')).toBe('Mis\u00e9\u0080');
  });
  it('decodes UTF-8 bytes and strips a byte-order mark', () => {
    const bytes = Uint8Array.from([0xef, 0xbb, 0xbf, 0x4d, 0x69, 0x73, 0xc3, 0xa9]);
    expect(decodeText(bytes)).toBe('Misé');
  });
  it('passes strings through', () => {
    expect(decodeText('abc', 'latin1')).toBe('abc');
  });
});

describe('nonEmptyLines', () => {
  it('numbers lines from 1, strips CR of CRLF and skips blank lines', () => {
    const lines = [...nonEmptyLines('a\r\n\r\nb\n  \nc')];
    expect(lines).toEqual([
      { text: 'a', line: 1 },
      { text: 'b', line: 3 },
      { text: 'c', line: 5 },
    ]);
  });
});

describe('parseNumberField', () => {
  it('parses finite numbers and rejects others with the line number', () => {
    expect(parseNumberField(' 4.5 ', { source: 'f', line: 3, field: 'rating' })).toBe(4.5);
    expect(() => parseNumberField('four', { source: 'f', line: 7, field: 'rating' })).toThrowError(
      /f, line 7: expected a number in field "rating"/,
    );
    expect(() => parseNumberField('', { source: 'f', line: 7, field: 'rating' })).toThrowError(
      DataFormatError,
    );
  });
});
