import { describe, expect, it } from 'vitest';
import { DataFormatError } from '../../../src/data/errors.ts';
import { readMl100kData, readMl100kGenres, readMl100kItems } from '../../../src/data/formats/ml-100k.ts';
import {
  readMovieLensMoviesCsv,
  readMovieLensRatingsCsv,
  readMovieLensTagsCsv,
} from '../../../src/data/formats/movielens-csv.ts';
import { readMovieLensMoviesDat, readMovieLensRatingsDat } from '../../../src/data/formats/movielens-dat.ts';

/** Encode a string with code points < 256 as ISO-8859-1 bytes. */
const latin1 = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

function lineOf(fn: () => unknown): number {
  try {
    fn();
  } catch (e) {
    if (e instanceof DataFormatError) return e.line;
    throw e;
  }
  throw new Error('expected a DataFormatError');
}

describe('MovieLens CSV (ml-latest-small)', () => {
  it('reads ratings.csv with CRLF', () => {
    const rows = readMovieLensRatingsCsv(
      'userId,movieId,rating,timestamp\r\n1,31,2.5,1260759144\r\n1,1029,3.0,1260759179\r\n',
    );
    expect(rows).toEqual([
      { user: '1', item: '31', rating: 2.5, timestamp: 1260759144 },
      { user: '1', item: '1029', rating: 3, timestamp: 1260759179 },
    ]);
  });
  it('reports malformed ratings rows by line', () => {
    expect(lineOf(() => readMovieLensRatingsCsv('userId,movieId,rating,timestamp\n1,2,3,4\n1,2,x,4\n'))).toBe(
      3,
    );
    expect(lineOf(() => readMovieLensRatingsCsv('userId,movieId,rating,timestamp\n1,2,3\n'))).toBe(2);
    expect(() => readMovieLensRatingsCsv('user,movie\n1,2\n')).toThrowError(
      /line 1: expected a header with a "user" column/,
    );
  });
  it('reads movies.csv: quoted titles with commas, year split off, no-genre marker', () => {
    const text =
      'movieId,title,genres\r\n11,"American President, The (1995)",Comedy|Drama|Romance\r\n' +
      '40697,Babylon 5,Sci-Fi\r\n27008,From Dusk Till Dawn 2: Texas Blood Money (1999) ,Comedy\r\n' +
      '143410,Hyena Road,(no genres listed)\r\n';
    expect(readMovieLensMoviesCsv(text)).toEqual([
      { key: '11', title: 'American President, The', year: 1995, genres: ['Comedy', 'Drama', 'Romance'] },
      { key: '40697', title: 'Babylon 5', genres: ['Sci-Fi'] },
      { key: '27008', title: 'From Dusk Till Dawn 2: Texas Blood Money', year: 1999, genres: ['Comedy'] },
      { key: '143410', title: 'Hyena Road', genres: [] },
    ]);
  });
  it('reads tags.csv and skips empty tags', () => {
    const rows = readMovieLensTagsCsv(
      'userId,movieId,tag,timestamp\n2,60756,funny,1445714994\n2,60756,"",1445714995\n',
    );
    expect(rows).toEqual([{ user: '2', item: '60756', tag: 'funny', timestamp: 1445714994 }]);
  });
});

describe('MovieLens .dat (ml-1m, ISO-8859-1)', () => {
  it('reads movies.dat bytes as latin1', () => {
    const bytes = latin1(
      "1::Toy Story (1995)::Animation|Children's|Comedy\n73::Mis\u00e9rables, Les (1995)::Drama|Musical\n",
    );
    expect(readMovieLensMoviesDat(bytes)).toEqual([
      { key: '1', title: 'Toy Story', year: 1995, genres: ['Animation', "Children's", 'Comedy'] },
      { key: '73', title: 'Misérables, Les', year: 1995, genres: ['Drama', 'Musical'] },
    ]);
  });
  it('reads ratings.dat and reports bad lines', () => {
    expect(readMovieLensRatingsDat('1::1193::5::978300760\n')).toEqual([
      { user: '1', item: '1193', rating: 5, timestamp: 978300760 },
    ]);
    expect(lineOf(() => readMovieLensRatingsDat('1::1193::5::978300760\n1::1193::5\n'))).toBe(2);
    expect(lineOf(() => readMovieLensMoviesDat('1::Toy Story (1995)\n'))).toBe(1);
  });
});

describe('MovieLens 100K', () => {
  const genres =
    "unknown|0\nAction|1\nAdventure|2\nAnimation|3\nChildren's|4\nComedy|5\nCrime|6\nDocumentary|7\nDrama|8\nFantasy|9\nFilm-Noir|10\nHorror|11\nMusical|12\nMystery|13\nRomance|14\nSci-Fi|15\nThriller|16\nWar|17\nWestern|18\n\n";
  it('reads u.genre in index order', () => {
    const names = readMl100kGenres(genres);
    expect(names).toHaveLength(19);
    expect(names[3]).toBe('Animation');
  });
  it('reads u.item flags into genre names (latin1)', () => {
    const line =
      '543|Mis\u00e9rables, Les (1995)|01-Jan-1995||http://x|0|0|0|1|1|1|0|0|0|0|0|0|0|0|0|0|0|0|0\n';
    expect(readMl100kItems(latin1(line), readMl100kGenres(genres))).toEqual([
      { key: '543', title: 'Misérables, Les', year: 1995, genres: ['Animation', "Children's", 'Comedy'] },
    ]);
    expect(lineOf(() => readMl100kItems('1|T|d||u|0|0\n', readMl100kGenres(genres)))).toBe(1);
    expect(
      lineOf(() => readMl100kItems(line + line.replace('|1|1|1|', '|1|2|1|'), readMl100kGenres(genres))),
    ).toBe(2);
  });
  it('reads tab-separated u.data', () => {
    expect(readMl100kData('196\t242\t3\t881250949\n')).toEqual([
      { user: '196', item: '242', rating: 3, timestamp: 881250949 },
    ]);
    expect(lineOf(() => readMl100kData('196\t242\t3\t881250949\n196 242 3 881250949\n'))).toBe(2);
  });
});
