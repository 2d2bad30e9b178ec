import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/data/csv.ts';
import { DataFormatError } from '../../src/data/errors.ts';

const records = (text: string) => [...parseCsv(text, 't.csv')].map((r) => [r.line, ...r.fields]);

describe('parseCsv (RFC 4180)', () => {
  it('splits plain fields with CRLF and LF line ends', () => {
    expect(records('a,b\r\n1,2\n3,4')).toEqual([
      [1, 'a', 'b'],
      [2, '1', '2'],
      [3, '3', '4'],
    ]);
  });
  it('keeps commas inside quotes and unescapes doubled quotes', () => {
    expect(records('11,"American President, The (1995)",Comedy\r\n12,"Say ""hi""",X\r\n')).toEqual([
      [1, '11', 'American President, The (1995)', 'Comedy'],
      [2, '12', 'Say "hi"', 'X'],
    ]);
  });
  it('allows line breaks inside quotes and reports the record start line', () => {
    expect(records('1,"two\r\nlines",x\r\n2,y,z')).toEqual([
      [1, '1', 'two\r\nlines', 'x'],
      [3, '2', 'y', 'z'],
    ]);
  });
  it('keeps empty fields, including a trailing one', () => {
    expect(records('a,,c,\n')).toEqual([[1, 'a', '', 'c', '']]);
  });
  it('skips blank lines', () => {
    expect(records('a\n\nb\n')).toEqual([
      [1, 'a'],
      [3, 'b'],
    ]);
  });
  it('rejects an unterminated quote with its line', () => {
    expect(() => records('a,b\n1,"open\n2,3\n')).toThrowError(
      /t\.csv, line 2: expected a closing double quote/,
    );
  });
  it('rejects text after a closing quote', () => {
    const error = (() => {
      try {
        records('x\n"a"b,c\n');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(DataFormatError);
    expect((error as DataFormatError).line).toBe(2);
  });
});
