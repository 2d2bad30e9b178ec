/**
 * Hand-picked bad files next to the random mutations: the wrong file type (a PNG, JSON, CSV given
 * to another reader) and malformed CSV each fail with the reader's named error and a message that
 * says what was expected and what was found.
 */
import { describe, expect, it } from 'vitest';
import { DataFormatError } from '../../src/data/errors.ts';
import { readGenericInteractionsCsv } from '../../src/data/formats/generic-csv.ts';
import { readMovieLensRatingsCsv } from '../../src/data/formats/movielens-csv.ts';
import { GgufFormatError } from '../../src/llm/load/errors.ts';
import { parseGguf } from '../../src/llm/load/gguf.ts';
import { SafetensorsFormatError, parseSafetensors } from '../../src/protocol/safetensors.ts';
import type { ErrorClass } from './mutations.ts';

const encode = (text: string) => new TextEncoder().encode(text);
/** The first 20 bytes of a PNG file (signature + IHDR start). */
const PNG = Uint8Array.from([137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 1, 0]); // [20]
const RATINGS_CSV = encode('userId,movieId,rating,timestamp\n1,2,3.5,964982703\n');

const CASES: [string, () => unknown, ErrorClass, RegExp][] = [
  ['a PNG as ratings.csv', () => readMovieLensRatingsCsv(PNG), DataFormatError, /line 1: expected a header/],
  [
    'JSON as ratings.csv',
    () => readMovieLensRatingsCsv(encode('{"userId": 1}')),
    DataFormatError,
    /expected a header with a "user" column/,
  ],
  [
    'ratings.csv without its timestamp column',
    () => readMovieLensRatingsCsv(encode('userId,movieId,rating\n1,2,3\n')),
    DataFormatError,
    /expected a header with a "timestamp" column .* found "userId,movieId,rating"/,
  ],
  [
    'an unclosed quote',
    () => readGenericInteractionsCsv(encode('user,item\nu1,"abc\n')),
    DataFormatError,
    /line 2: expected a closing double quote/,
  ],
  ['an empty CSV', () => readGenericInteractionsCsv(encode('')), DataFormatError, /expected a header line/],
  [
    'a PNG as GGUF',
    () => parseGguf(PNG),
    GgufFormatError,
    /not a GGUF file: the first bytes are 89 50 4e 47/,
  ],
  ['a CSV as GGUF', () => parseGguf(RATINGS_CSV), GgufFormatError, /not a GGUF file/],
  ['a PNG as safetensors', () => parseSafetensors(PNG), SafetensorsFormatError, /not a safetensors file/],
  [
    'a CSV as safetensors',
    () => parseSafetensors(RATINGS_CSV),
    SafetensorsFormatError,
    /not a safetensors file/,
  ],
];

describe('wrong file types and malformed CSV', () => {
  for (const [name, read, errorClass, message] of CASES) {
    it(`${name}: ${errorClass.name} saying what was expected`, () => {
      let thrown: unknown;
      try {
        read();
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(errorClass);
      expect((thrown as Error).message).toMatch(message);
    });
  }

  it('the valid ratings.csv used above does parse', () => {
    expect(readMovieLensRatingsCsv(RATINGS_CSV)).toHaveLength(1);
  });
});
