import { describe, expect, it } from 'vitest';
import {
  cacheNameFor,
  lazyUrls,
  precacheKeyFor,
  precacheUrls,
  staleCacheNames,
} from '../../src/sw/precache-manifest.ts';

const scope = 'http://127.0.0.1:4173/app/';
const manifest = {
  version: 'abc123',
  files: ['index.html', 'assets/index-x.js', 'models/m/weights.safetensors'],
  lazy: ['assets/english-words-x.js'],
};

describe('precache manifest helpers', () => {
  it('names caches by version and finds only this app’s stale ones', () => {
    expect(cacheNameFor('abc123')).toBe('localrec-precache-abc123');
    const existing = [
      'localrec-precache-old1',
      'localrec-precache-abc123',
      'other-cache',
      'localrec-precache-old2',
    ];
    expect(staleCacheNames(existing, 'abc123')).toEqual(['localrec-precache-old1', 'localrec-precache-old2']);
    expect(staleCacheNames(['localrec-precache-abc123'], 'abc123')).toEqual([]);
  });

  it('resolves files under the scope', () => {
    expect(precacheUrls(manifest, scope)).toEqual([
      'http://127.0.0.1:4173/app/index.html',
      'http://127.0.0.1:4173/app/assets/index-x.js',
      'http://127.0.0.1:4173/app/models/m/weights.safetensors',
    ]);
  });

  it('resolves the files cached on first use, which the precached set does not hold', () => {
    const lazy = new Set(lazyUrls(manifest, scope));
    expect([...lazy]).toEqual(['http://127.0.0.1:4173/app/assets/english-words-x.js']);
    const cached = new Set(precacheUrls(manifest, scope));
    expect(precacheKeyFor(`${scope}assets/english-words-x.js`, scope, cached)).toBeUndefined();
    expect(precacheKeyFor(`${scope}assets/english-words-x.js?v=1`, scope, lazy)).toBe(
      `${scope}assets/english-words-x.js`,
    );
    expect(precacheKeyFor(scope, scope, lazy)).toBeUndefined();
  });

  it('maps requests to cache keys: exact files, the scope root, queries ignored, others to the network', () => {
    const cached = new Set(precacheUrls(manifest, scope));
    expect(precacheKeyFor(`${scope}assets/index-x.js`, scope, cached)).toBe(`${scope}assets/index-x.js`);
    expect(precacheKeyFor(`${scope}?backend=cpu`, scope, cached)).toBe(`${scope}index.html`);
    expect(precacheKeyFor(`${scope}#top`, scope, cached)).toBe(`${scope}index.html`);
    expect(precacheKeyFor(`${scope}index.html?x=1`, scope, cached)).toBe(`${scope}index.html`);
    expect(precacheKeyFor(`${scope}data/ml-latest-small/ratings.csv`, scope, cached)).toBeUndefined();
    expect(precacheKeyFor('http://127.0.0.1:4173/other/', scope, cached)).toBeUndefined();
    expect(precacheKeyFor('http://example.com/app/index.html', scope, cached)).toBeUndefined();
  });
});
