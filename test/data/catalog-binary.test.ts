import { describe, expect, it } from 'vitest';
import { packCatalog, unpackCatalog } from '../../src/data/catalog-binary.ts';
import { CatalogFormatError } from '../../src/data/errors.ts';
import type { CatalogItem } from '../../src/data/types.ts';

const items: CatalogItem[] = [
  { id: 1, key: '1', title: 'Toy Story', year: 1995, genres: ['Animation', 'Comedy'], tags: ['pixar'] },
  { id: 2, key: '73', title: 'Misérables, Les', year: 1995, genres: ['Drama'], tags: [] },
  { id: 3, key: 'B00X', title: 'Item B00X 🎬', genres: [], tags: ['pixar', 'fun, "quoted"'] },
];
const dataset = { name: 'tiny', items, popularity: Int32Array.of(0, 10, 3, 1) };

describe('catalog.bin', () => {
  it('round-trips items, name and popularity', () => {
    const back = unpackCatalog(packCatalog(dataset));
    expect(back.name).toBe('tiny');
    expect(back.items).toEqual(items);
    expect([...back.popularity]).toEqual([0, 10, 3, 1]);
  });

  it('starts with the magic and version 1', () => {
    const bytes = packCatalog(dataset);
    expect(String.fromCharCode(...bytes.subarray(0, 4))).toBe('LRCT');
    expect(new DataView(bytes.buffer).getUint32(4, true)).toBe(1);
  });

  it('rejects truncated input', () => {
    const bytes = packCatalog(dataset);
    expect(() => unpackCatalog(bytes.subarray(0, bytes.length - 1))).toThrowError(/truncated/);
    expect(() => unpackCatalog(bytes.subarray(0, 10))).toThrowError(CatalogFormatError);
  });

  it('rejects a flipped byte, a wrong magic and an unknown version', () => {
    const flipped = packCatalog(dataset);
    flipped[flipped.length - 3] ^= 0x20;
    expect(() => unpackCatalog(flipped)).toThrowError(/checksum/);
    const magic = packCatalog(dataset);
    magic[0] = 0x58;
    expect(() => unpackCatalog(magic)).toThrowError(/not "LRCT"/);
    const version = packCatalog(dataset);
    new DataView(version.buffer).setUint32(4, 99, true);
    expect(() => unpackCatalog(version)).toThrowError(/version is 99/);
  });

  it('refuses to pack non-dense ids', () => {
    expect(() => packCatalog({ ...dataset, items: [items[1]] })).toThrowError(CatalogFormatError);
  });
});
