import { describe, expect, it } from 'vitest';
import { buildDataset } from '../../src/data/build.ts';
import { mostPopular } from '../../src/data/catalog.ts';
import { DatasetBuildError } from '../../src/data/errors.ts';
import type { Interaction } from '../../src/data/types.ts';

const seqs = (d: { sequences: Int32Array[] }) => d.sequences.map((s) => [...s]);

describe('buildDataset', () => {
  it('sorts by timestamp, ties keep file order, and numbers items/users by key', () => {
    const log: Interaction[] = [
      { user: '10', item: '300', timestamp: 5 },
      { user: '2', item: '20', timestamp: 9 },
      { user: '10', item: '20', timestamp: 1 },
      { user: '10', item: '100', timestamp: 5 },
      { user: '2', item: '100', timestamp: 3 },
    ];
    const d = buildDataset('t', log);
    expect(d.items.map((i) => i.key)).toEqual(['20', '100', '300']); // numeric order, not "100" < "20"
    expect(d.userKeys).toEqual(['2', '10']);
    // user 2: 100@3, 20@9 → [2, 1]; user 10: 20@1, 300@5, 100@5 (file order) → [1, 3, 2]
    expect(seqs(d)).toEqual([
      [2, 1],
      [1, 3, 2],
    ]);
    expect([...d.popularity]).toEqual([0, 2, 2, 1]);
    expect([...mostPopular(d.popularity)]).toEqual([1, 2, 3]);
  });

  it('uses file order when timestamps are missing and keeps repeats', () => {
    const d = buildDataset('t', [
      { user: 'u', item: 'b' },
      { user: 'u', item: 'a' },
      { user: 'u', item: 'b' },
    ]);
    expect(seqs(d)).toEqual([[2, 1, 2]]);
    expect(d.ratings).toBeUndefined();
  });

  it('filters by minimum rating and keeps ratings parallel to sequences', () => {
    const d = buildDataset(
      't',
      [
        { user: 'u', item: '1', rating: 5, timestamp: 2 },
        { user: 'u', item: '2', rating: 1, timestamp: 1 },
        { user: 'u', item: '3', rating: 4, timestamp: 0 },
      ],
      { minRating: 4 },
    );
    expect(d.items.map((i) => i.key)).toEqual(['1', '3']);
    expect(seqs(d)).toEqual([[2, 1]]);
    expect([...d.ratings![0]]).toEqual([4, 5]);
    expect(() => buildDataset('t', [{ user: 'u', item: '1' }], { minRating: 4 })).toThrowError(
      DatasetBuildError,
    );
  });

  it('applies k-core iteratively', () => {
    // 2-core by hand: item c has 1 interaction → y–c dropped; y then has 1 → y–b dropped;
    // b then has 1 → x–b dropped; x then has 1 → x–a dropped. Left: users u, v on items a, d.
    const pairs = ['u a', 'u d', 'v a', 'v d', 'x a', 'x b', 'y b', 'y c'];
    const log = pairs.map((p) => ({ user: p.split(' ')[0], item: p.split(' ')[1] }));
    const d = buildDataset('t', log, { minUserInteractions: 2, minItemInteractions: 2 });
    expect(d.userKeys).toEqual(['u', 'v']);
    expect(d.items.map((i) => i.key)).toEqual(['a', 'd']);
    expect(seqs(d)).toEqual([
      [1, 2],
      [1, 2],
    ]);
  });

  it('rejects empty input and bad filter options', () => {
    expect(() => buildDataset('t', [])).toThrowError(/no interactions/);
    expect(() => buildDataset('t', [{ user: 'u', item: 'a' }], { minItemInteractions: 2.5 })).toThrowError(
      /minItemInteractions must be a whole number/,
    );
  });

  it('throws a named error when filtering leaves nothing', () => {
    expect(() => buildDataset('t', [{ user: 'u', item: 'a' }], { minUserInteractions: 5 })).toThrowError(
      /no interactions left/,
    );
  });

  it('honours an explicit item order and rejects unknown items', () => {
    const log = [
      { user: 'u', item: '7' },
      { user: 'u', item: '5' },
    ];
    const d = buildDataset('t', log, { itemOrder: ['7', '6', '5'] });
    expect(d.items.map((i) => [i.id, i.key])).toEqual([
      [1, '7'],
      [2, '5'],
    ]);
    expect(() => buildDataset('t', log, { itemOrder: ['7'] })).toThrowError(
      /item "5" is not in the given itemOrder/,
    );
  });

  it('builds the catalog from metadata and top tags', () => {
    const d = buildDataset(
      't',
      [
        { user: 'u', item: '1' },
        { user: 'u', item: '2' },
      ],
      {
        items: [{ key: '1', title: 'Heat', year: 1995, genres: ['Crime'] }],
        tags: [
          { user: 'a', item: '1', tag: 'Pacino' },
          { user: 'b', item: '1', tag: 'heist' },
          { user: 'c', item: '1', tag: 'pacino' },
          { user: 'd', item: '1', tag: 'De Niro' },
        ],
        tagsPerItem: 2,
      },
    );
    expect(d.items).toEqual([
      { id: 1, key: '1', title: 'Heat', year: 1995, genres: ['Crime'], tags: ['Pacino', 'De Niro'] },
      { id: 2, key: '2', title: 'Item 2', genres: [], tags: [] },
    ]);
  });
});
