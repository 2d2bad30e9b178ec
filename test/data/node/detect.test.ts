import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DatasetNotFoundError } from '../../../src/data/errors.ts';
import { detectDataSource } from '../../../src/data/node/detect.ts';
import { loadNamedDataset } from '../../../src/data/node/named.ts';

const root = mkdtempSync(join(tmpdir(), 'localrec-detect-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function write(relative: string, content: string | Uint8Array): string {
  const path = join(root, relative);
  writeFileSync(path, content);
  return path;
}

describe('detectDataSource / loading by path', () => {
  it('reads a site log as a generic CSV', async () => {
    const file = write('shop-log.csv', 'user_id,item_id,ts\nann,sku9,20\nann,sku2,10\nbob,sku9,5\n');
    expect(detectDataSource(file)).toEqual({ kind: 'generic-csv', name: 'shop-log', file });
    const d = await loadNamedDataset(file);
    expect(d.userKeys).toEqual(['ann', 'bob']);
    expect(d.items.map((i) => i.key)).toEqual(['sku2', 'sku9']);
    expect(d.sequences.map((s) => [...s])).toEqual([[1, 2], [2]]);
  });

  it('tells SASRec pairs from sequence-per-line files', () => {
    const pairs = write('pairs.txt', '1 1\n1 2\n2 1\n');
    const lines = write('lines.txt', '1 1 2\n2 3\n');
    expect(detectDataSource(pairs).kind).toBe('sasrec-pairs');
    expect(detectDataSource(lines).kind).toBe('sequence-per-line');
  });

  it('recognises a tab-separated log with a header whatever its extension', async () => {
    const file = write('events.tsv', 'visitor_id\tproduct_id\ttimestamp\nv1\tp1\t2\nv1\tp2\t1\n');
    expect(detectDataSource(file).kind).toBe('generic-csv');
    expect((await loadNamedDataset(file)).sequences.map((s) => [...s])).toEqual([[2, 1]]);
  });

  it('recognises .dat and u.data files by their first line', () => {
    expect(detectDataSource(write('ratings.dat', '1::2::5::978300760\n')).kind).toBe('movielens-dat');
    expect(detectDataSource(write('u.data', '196\t242\t3\t881250949\n')).kind).toBe('ml-100k');
  });

  it('rejects a directory without known files', () => {
    const empty = mkdtempSync(join(root, 'empty-'));
    expect(() => detectDataSource(empty)).toThrowError(DatasetNotFoundError);
  });
});
