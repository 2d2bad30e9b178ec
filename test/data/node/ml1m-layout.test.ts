import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { DataFormatError } from '../../../src/data/errors.ts';
import { loadNamedDataset } from '../../../src/data/node/named.ts';

/** A miniature shared-data directory laid out like ../shared/data for the `ml-1m` name. */
function fakeShared(mapping: string): string {
  const root = mkdtempSync(join(tmpdir(), 'localrec-ml1m-'));
  for (const dir of ['ml-1m-full', 'ml-1m-sasrec', 'ml-1m']) mkdirSync(join(root, dir));
  writeFileSync(join(root, 'ml-1m-full', 'sequences.txt'), '1 1\n1 2\n2 2\n');
  writeFileSync(join(root, 'ml-1m-sasrec', 'sas_to_original_items.txt'), mapping);
  writeFileSync(
    join(root, 'ml-1m', 'movies.dat'),
    Buffer.from('10::Ren\u00e9 (1990)::Drama\n20::Other::Comedy\n', 'latin1'),
  );
  roots.push(root);
  return root;
}

const roots: string[] = [];
const saved = process.env.LOCALREC_SHARED_DATA;
afterEach(() => {
  if (saved === undefined) delete process.env.LOCALREC_SHARED_DATA;
  else process.env.LOCALREC_SHARED_DATA = saved;
});
afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

describe('ml-1m name: SASRec numbering kept, keys and titles from the mapping', () => {
  it('keeps SASRec ids even when original keys sort the other way', async () => {
    process.env.LOCALREC_SHARED_DATA = fakeShared('1 20\n2 10\n');
    const d = await loadNamedDataset('ml-1m');
    expect(d.items.map((i) => [i.id, i.key, i.title])).toEqual([
      [1, '20', 'Other'],
      [2, '10', 'René'],
    ]);
    expect(d.sequences.map((s) => [...s])).toEqual([[1, 2], [2]]);
  });

  it('reports a malformed mapping line', async () => {
    process.env.LOCALREC_SHARED_DATA = fakeShared('1 20\n1 10\n');
    const error = await loadNamedDataset('ml-1m').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataFormatError);
    expect((error as DataFormatError).line).toBe(2);
  });
});
