import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { unpackCatalog } from '../../../src/data/catalog-binary.ts';
import { DatasetNotFoundError } from '../../../src/data/errors.ts';
import { loadNamedDataset } from '../../../src/data/node/named.ts';
import { repoRoot, sharedDataDir } from '../../../src/data/node/locate.ts';
import { leaveOneOut } from '../../../src/data/split.ts';
import type { Dataset } from '../../../src/data/types.ts';
import { requireOrSkip } from '../../helpers/require.ts';

const shared = sharedDataDir();
const bundled = join(repoRoot(), 'public', 'data', 'ml-latest-small');
const total = (d: Dataset) => d.sequences.reduce((sum, s) => sum + s.length, 0);
const sharedFile = (...parts: string[]) => join(shared, ...parts);
const missingReason = (what: string) => `${what} not found under ${shared} (set LOCALREC_SHARED_DATA)`;

describe('bundled ml-latest-small', () => {
  it('loads 100,836 ratings of 610 users with titles, tags and ratings', async () => {
    const d = await loadNamedDataset('ml-latest-small');
    expect(d.name).toBe('ml-latest-small');
    expect(d.sequences).toHaveLength(610);
    expect(total(d)).toBe(100_836);
    expect(d.items).toHaveLength(9724);
    expect(d.items[0]).toMatchObject({ id: 1, key: '1', title: 'Toy Story', year: 1995 });
    expect(d.items[0].tags).toContain('pixar');
    expect(d.ratings!.map((r) => r.length)).toEqual(d.sequences.map((s) => s.length));
    d.items.forEach((item, i) => expect(item.id).toBe(i + 1));
  });

  it('ships catalog.bin that matches the CSVs', async () => {
    const d = await loadNamedDataset('ml-latest-small');
    const packed = unpackCatalog(new Uint8Array(readFileSync(join(bundled, 'catalog.bin'))));
    expect(packed.items).toEqual(d.items);
    expect([...packed.popularity]).toEqual([...d.popularity]);
  });

  describe.skipIf(requireOrSkip(existsSync(sharedFile('ml-latest-small')), missingReason('ml-latest-small')))(
    'copy',
    () => {
      it.each(['ratings.csv', 'movies.csv', 'tags.csv', 'links.csv', 'README.txt'])(
        '%s is byte-identical to the source',
        (file) => {
          expect(
            readFileSync(join(bundled, file)).equals(readFileSync(sharedFile('ml-latest-small', file))),
          ).toBe(true);
        },
      );
    },
  );
});

describe.skipIf(
  requireOrSkip(
    existsSync(sharedFile('ml-1m-full', 'sequences.txt')),
    missingReason('ml-1m-full/sequences.txt'),
  ),
)('ml-1m (SASRec preprocessing)', () => {
  it('has 6,040 users, 3,416 items, 999,611 interactions and keeps SASRec ids', async () => {
    const d = await loadNamedDataset('ml-1m');
    expect(d.sequences).toHaveLength(6040);
    expect(d.items).toHaveLength(3416);
    expect(total(d)).toBe(999_611);
    // sequences.txt starts "1 1\n1 2\n1 3"; SASRec item 1 is MovieID 1198 (sas_to_original_items.txt)
    expect([...d.sequences[0].subarray(0, 3)]).toEqual([1, 2, 3]);
    expect(d.items[0]).toMatchObject({ id: 1, key: '1198', title: 'Raiders of the Lost Ark', year: 1981 });
    expect(d.items.find((i) => i.key === '73')?.title).toBe('Misérables, Les'); // latin1 title
    const split = leaveOneOut(d);
    expect(split.test).toHaveLength(6040);
    expect(split.shortUsers).toBe(0);
  });
});

describe.skipIf(
  requireOrSkip(
    existsSync(sharedFile('amazon-beauty', 's3rec', 'Beauty.txt')),
    missingReason('amazon-beauty/s3rec/Beauty.txt'),
  ),
)('beauty (S3Rec Beauty.txt)', () => {
  it('has 22,363 users, 12,101 items, 198,502 interactions; ids kept; titles are placeholders', async () => {
    const d = await loadNamedDataset('beauty');
    expect(d.sequences).toHaveLength(22_363);
    expect(d.items).toHaveLength(12_101);
    expect(total(d)).toBe(198_502);
    expect([...d.sequences[0]]).toEqual([1, 2, 3, 4, 5]); // first line "1 1 2 3 4 5"
    expect(d.items[41]).toMatchObject({ id: 42, key: '42', title: 'Item 42' });
  });
});

describe.skipIf(requireOrSkip(existsSync(sharedFile('ml-100k', 'u.data')), missingReason('ml-100k/u.data')))(
  'ml-100k',
  () => {
    it('has 943 users, 1,682 items, 100,000 ratings and latin1 titles', async () => {
      const d = await loadNamedDataset('ml-100k');
      expect(d.sequences).toHaveLength(943);
      expect(d.items).toHaveLength(1682);
      expect(total(d)).toBe(100_000);
      expect(d.items[542]).toMatchObject({ key: '543', title: 'Misérables, Les', year: 1995 });
    });
  },
);

describe('missing data', () => {
  const saved = process.env.LOCALREC_SHARED_DATA;
  afterEach(() => {
    if (saved === undefined) delete process.env.LOCALREC_SHARED_DATA;
    else process.env.LOCALREC_SHARED_DATA = saved;
  });

  it('names where the files should be', async () => {
    process.env.LOCALREC_SHARED_DATA = '/nonexistent/shared';
    await expect(loadNamedDataset('ml-1m')).rejects.toThrowError(DatasetNotFoundError);
    await expect(loadNamedDataset('beauty')).rejects.toThrowError(
      /\/nonexistent\/shared\/amazon-beauty\/s3rec\/Beauty\.txt/,
    );
    await expect(loadNamedDataset('/no/such/path')).rejects.toThrowError(/does not exist/);
  });
});
