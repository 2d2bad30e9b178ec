import { describe, expect, it } from 'vitest';
import {
  guessSequenceFormat,
  readSasrecPairs,
  readSequencePerLine,
} from '../../../src/data/formats/sequences.ts';
import { readGenericInteractionsCsv } from '../../../src/data/formats/generic-csv.ts';

describe('SASRec pairs and sequence-per-line', () => {
  it('reads `user item` lines in file order', () => {
    expect(readSasrecPairs('1 10\n1 11\n2 10\n')).toEqual([
      { user: '1', item: '10' },
      { user: '1', item: '11' },
      { user: '2', item: '10' },
    ]);
  });
  it('rejects a pair line with a third field, naming the line', () => {
    expect(() => readSasrecPairs('1 10\n1 11 12\n')).toThrowError(
      /line 2: expected two whitespace-separated fields/,
    );
  });
  it('reads `user item item …` lines', () => {
    expect(readSequencePerLine('7 3 4 3\n8 5\n')).toEqual([
      { user: '7', item: '3' },
      { user: '7', item: '4' },
      { user: '7', item: '3' },
      { user: '8', item: '5' },
    ]);
    expect(() => readSequencePerLine('7 3\n8\n')).toThrowError(
      /line 2: expected a user followed by at least one item/,
    );
  });
  it('guesses the format from the first lines', () => {
    expect(guessSequenceFormat('1 1\n1 2\n2 3\n')).toBe('sasrec-pairs');
    expect(guessSequenceFormat('1 1\n2 6 7 8\n')).toBe('sequence-per-line');
  });
});

describe('generic interactions CSV', () => {
  it('accepts header aliases and optional columns in any order', () => {
    const rows = readGenericInteractionsCsv('ts,item_id,UserId,score\n100,a,u1,5\n50,b,u1,\n');
    expect(rows).toEqual([
      { user: 'u1', item: 'a', rating: 5, timestamp: 100 },
      { user: 'u1', item: 'b', timestamp: 50 },
    ]);
  });
  it('accepts tab- and semicolon-separated logs (delimiter from the header)', () => {
    const want = [{ user: 'u', item: 'a, b', rating: 4 }];
    expect(readGenericInteractionsCsv('user\titem\trating\nu\ta, b\t4\n')).toEqual(want);
    expect(readGenericInteractionsCsv('user;item;rating\r\nu;"a, b";4\r\n')).toEqual(want);
    expect(() => readGenericInteractionsCsv('user\titem\nu\ta\tb\n')).toThrowError(
      /line 2: expected 2 fields/,
    );
  });
  it('accepts ISO dates as timestamps', () => {
    const [row] = readGenericInteractionsCsv('user,item,timestamp\nu,i,1970-01-02T00:00:00Z\n');
    expect(row.timestamp).toBe(86400);
  });
  it('works with only user and item columns', () => {
    expect(readGenericInteractionsCsv('user,movieId\nu,1\n')).toEqual([{ user: 'u', item: '1' }]);
  });
  it('names the missing column and malformed rows', () => {
    expect(() => readGenericInteractionsCsv('customer,rating\nu,1\n')).toThrowError(
      /expected a header with a "item" column/,
    );
    expect(() => readGenericInteractionsCsv('user,item,timestamp\nu,i,1\nu,i,yesterday\n')).toThrowError(
      /line 3: expected a timestamp/,
    );
    expect(() => readGenericInteractionsCsv('user,item\nu,i\n,i\n')).toThrowError(
      /line 3: expected a non-empty "user"/,
    );
  });
});
