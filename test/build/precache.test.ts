import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  buildPrecacheManifest,
  injectManifest,
  isLazyChunk,
  isPrecached,
  pageCatalogPaths,
  PrecacheBuildError,
} from '../../src/build/precache.ts';

describe('precache build plugin helpers', () => {
  it('sorts files and hashes names + bytes (hand-computed sha256 prefix)', () => {
    const manifest = buildPrecacheManifest([
      { name: 'b.js', bytes: 'B' },
      { name: 'a.bin', bytes: new Uint8Array([1, 2]) },
    ]);
    expect(manifest.files).toEqual(['a.bin', 'b.js']);
    const want = createHash('sha256')
      .update('a.bin\u00002\u0000')
      .update(new Uint8Array([1, 2]))
      .update('b.js\u00001\u0000')
      .update('B')
      .digest('hex')
      .slice(0, 16);
    expect(manifest.version).toBe(want);
  });

  it('changes the version when any byte or name changes, not when the input order does', () => {
    const base = buildPrecacheManifest([
      { name: 'a.js', bytes: 'x' },
      { name: 'b.js', bytes: 'y' },
    ]).version;
    expect(
      buildPrecacheManifest([
        { name: 'b.js', bytes: 'y' },
        { name: 'a.js', bytes: 'x' },
      ]).version,
    ).toBe(base);
    expect(
      buildPrecacheManifest([
        { name: 'a.js', bytes: 'x' },
        { name: 'b.js', bytes: 'z' },
      ]).version,
    ).not.toBe(base);
    expect(
      buildPrecacheManifest([
        { name: 'a.js', bytes: 'x' },
        { name: 'c.js', bytes: 'y' },
      ]).version,
    ).not.toBe(base);
    // the length prefix keeps "ab"+"c" apart from "a"+"bc"
    expect(buildPrecacheManifest([{ name: 'f', bytes: 'ab' }]).version).not.toBe(
      buildPrecacheManifest([{ name: 'fa', bytes: 'b' }]).version,
    );
  });

  it('injects the manifest JSON and refuses code without the placeholder', () => {
    const manifest = { version: 'v1', files: ['index.html'], lazy: [] };
    expect(injectManifest('var m=__LOCALREC_PRECACHE__;f(__LOCALREC_PRECACHE__)', manifest)).toBe(
      'var m={"version":"v1","files":["index.html"],"lazy":[]};f({"version":"v1","files":["index.html"],"lazy":[]})',
    );
    expect(() => injectManifest('var m=1', manifest)).toThrow(PrecacheBuildError);
  });

  it('leaves out source maps and the service worker itself', () => {
    expect(isPrecached('assets/index-x.js')).toBe(true);
    expect(isPrecached('assets/index-x.js.map')).toBe(false);
    expect(isPrecached('sw.js')).toBe(false);
    expect(isPrecached('models/registry.json')).toBe(true);
  });

  it("keeps the language model's word list out of the install: cached on first use, still in the version", () => {
    const words = { type: 'chunk', name: 'english-words', isDynamicEntry: true };
    expect(isLazyChunk(words)).toBe(true);
    expect(isLazyChunk({ ...words, isDynamicEntry: false })).toBe(false); // imported statically: needed at once
    expect(isLazyChunk({ type: 'chunk', name: 'startup', isDynamicEntry: true })).toBe(false);
    expect(isLazyChunk({ type: 'asset', name: 'english-words' })).toBe(false);
    const shell = [{ name: 'index.html', bytes: 'x' }];
    const lazy = [{ name: 'assets/english-words-a.js', bytes: 'w' }];
    const manifest = buildPrecacheManifest(shell, lazy);
    expect(manifest).toMatchObject({ files: ['index.html'], lazy: ['assets/english-words-a.js'] });
    // a new word list is a new version (the old cache, with the old list, is deleted)
    expect(buildPrecacheManifest(shell, [{ ...lazy[0], bytes: 'v' }]).version).not.toBe(manifest.version);
    expect(buildPrecacheManifest(shell).version).not.toBe(manifest.version);
    expect(buildPrecacheManifest([...shell, ...lazy]).version).not.toBe(manifest.version);
  });

  it('finds the catalogs of page models only, once each', () => {
    const registry = JSON.stringify({
      default: 'a',
      models: [
        { id: 'a', arch: 'sasrec', dataset: 'ml-latest-small', page: true },
        { id: 'b', arch: 'sasrec', catalog: 'data/x/catalog.bin', page: true },
        { id: 'c', arch: 'sasrec', dataset: 'ml-latest-small', page: true },
        { id: 'd', arch: 'sasrec', dataset: 'ml-1m' },
      ],
    });
    expect(pageCatalogPaths(registry)).toEqual(['data/ml-latest-small/catalog.bin', 'data/x/catalog.bin']);
  });
});
