/**
 * Fuzzing: the data readers, the catalog, safetensors and manifest parsers either succeed or
 * throw their own named error on randomly mutated real inputs (fixed seed, fixed count); never
 * a TypeError, RangeError or an allocation sized from a corrupt header (binary files: memory growth
 * bounded by modelMemoryLimit of the input size).
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { unpackCatalog } from '../../src/data/catalog-binary.ts';
import { CatalogFormatError, DataFormatError } from '../../src/data/errors.ts';
import { readGenericInteractionsCsv } from '../../src/data/formats/generic-csv.ts';
import { readMl100kData, readMl100kItems } from '../../src/data/formats/ml-100k.ts';
import {
  readMovieLensMoviesCsv,
  readMovieLensRatingsCsv,
  readMovieLensTagsCsv,
} from '../../src/data/formats/movielens-csv.ts';
import { readMovieLensMoviesDat, readMovieLensRatingsDat } from '../../src/data/formats/movielens-dat.ts';
import { readSasrecPairs, readSequencePerLine } from '../../src/data/formats/sequences.ts';
import { ManifestError, parseSasrecManifest } from '../../src/protocol/manifest.ts';
import { SafetensorsFormatError, parseSafetensors } from '../../src/protocol/safetensors.ts';
import { FUZZ_RUNS, expectNamedFailure, modelMemoryLimit, mutate, mutations } from './mutations.ts';

const read = (path: string) => new Uint8Array(readFileSync(new URL(path, import.meta.url)));
const encode = (text: string) => new TextEncoder().encode(text);
const head = (path: string, lines: number) =>
  encode(new TextDecoder().decode(read(path)).split('\n').slice(0, lines).join('\n'));

const BUNDLED = '../../public/data/ml-latest-small/';

/** Each text reader with a small valid input of its format. */
const TEXT_READERS: [string, Uint8Array, (input: Uint8Array) => unknown][] = [
  ['ratings.csv', head(`${BUNDLED}ratings.csv`, 40), (x) => readMovieLensRatingsCsv(x)],
  ['movies.csv', head(`${BUNDLED}movies.csv`, 40), (x) => readMovieLensMoviesCsv(x)],
  ['tags.csv', head(`${BUNDLED}tags.csv`, 40), (x) => readMovieLensTagsCsv(x)],
  [
    'generic csv',
    encode('user,item,rating,timestamp\nu1,a,5,100\nu1,"b, c",3,101\nu2,a,,102\n'),
    (x) => readGenericInteractionsCsv(x),
  ],
  [
    'ratings.dat',
    encode('1::1193::5::978300760\n1::661::3::978302109\n2::1357::5::978298709\n'),
    (x) => readMovieLensRatingsDat(x),
  ],
  [
    'movies.dat',
    encode("1::Toy Story (1995)::Animation|Children's|Comedy\n2::Jumanji (1995)::Adventure\n"),
    (x) => readMovieLensMoviesDat(x),
  ],
  [
    'u.data',
    encode('196\t242\t3\t881250949\n186\t302\t3\t891717742\n22\t377\t1\t878887116\n'),
    (x) => readMl100kData(x),
  ],
  [
    'u.item',
    encode('1|Toy Story (1995)|01-Jan-1995||http://x|0|0|0|1|1|1|0|0|0|0|0|0|0|0|0|0|0|0|0\n'),
    (x) =>
      readMl100kItems(x, [
        'unknown',
        'Action',
        'Adventure',
        'Animation',
        "Children's",
        'Comedy',
        'Crime',
        'Documentary',
        'Drama',
        'Fantasy',
        'Film-Noir',
        'Horror',
        'Musical',
        'Mystery',
        'Romance',
        'Sci-Fi',
        'Thriller',
        'War',
        'Western',
      ]),
  ],
  ['sasrec pairs', encode('1 1\n1 2\n1 3\n2 2\n2 4\n'), (x) => readSasrecPairs(x)],
  ['sequence per line', encode('1 1 2 3\n2 2 4\n3 5 1 2 7\n'), (x) => readSequencePerLine(x)],
];

describe('text readers under random mutations', () => {
  for (const [name, valid, parse] of TEXT_READERS) {
    it(`${name}: returns or throws DataFormatError`, () => {
      expectNamedFailure(() => parse(valid), []); // the seed input itself parses
      fc.assert(
        fc.property(mutations, (edits) =>
          expectNamedFailure(() => parse(mutate(valid, edits)), [DataFormatError]),
        ),
        FUZZ_RUNS,
      );
    });
  }
});

describe('binary and JSON model files under random mutations', () => {
  it('catalog.bin: returns or throws CatalogFormatError', () => {
    const valid = read(`${BUNDLED}catalog.bin`);
    fc.assert(
      fc.property(mutations, (edits) =>
        expectNamedFailure(
          () => unpackCatalog(mutate(valid, edits)),
          [CatalogFormatError],
          modelMemoryLimit(valid.length),
        ),
      ),
      FUZZ_RUNS,
    );
  });

  it('safetensors: parse and every tensor read return or throw SafetensorsFormatError', () => {
    const valid = read('../fixtures/sasrec-tiny/weights.safetensors');
    fc.assert(
      fc.property(mutations, (edits) =>
        expectNamedFailure(
          () => {
            const file = parseSafetensors(mutate(valid, edits));
            for (const name of file.entries.keys()) file.tensor(name);
          },
          [SafetensorsFormatError],
          modelMemoryLimit(valid.length),
        ),
      ),
      FUZZ_RUNS,
    );
  });

  it('manifest.json: returns or throws ManifestError (bytes mutated, then JSON-parsed)', () => {
    const valid = read('../../models/ml-latest-small-sasrec/manifest.json');
    fc.assert(
      fc.property(mutations, (edits) =>
        expectNamedFailure(() => {
          const text = new TextDecoder().decode(mutate(valid, edits));
          let raw: unknown;
          try {
            raw = JSON.parse(text);
          } catch {
            return; // not JSON at all: the loader reports that before the manifest parser runs
          }
          parseSasrecManifest(raw);
        }, [ManifestError]),
      ),
      FUZZ_RUNS,
    );
  });

  it('manifest: arbitrary JSON values return or throw ManifestError', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (raw) =>
        expectNamedFailure(() => parseSasrecManifest(raw), [ManifestError]),
      ),
      FUZZ_RUNS,
    );
  });
});
