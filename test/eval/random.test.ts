import { describe, expect, it } from 'vitest';
import { deriveSeed, mix32, Rng } from '../../src/eval/random.ts';

describe('Rng', () => {
  it('is deterministic per seed and differs across seeds', () => {
    const a = Array.from(
      { length: 5 },
      (
        (r) => () =>
          r.nextU32()
      )(new Rng(7)),
    );
    const b = Array.from(
      { length: 5 },
      (
        (r) => () =>
          r.nextU32()
      )(new Rng(7)),
    );
    const c = Array.from(
      { length: 5 },
      (
        (r) => () =>
          r.nextU32()
      )(new Rng(8)),
    );
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    a.forEach((x) => expect(Number.isInteger(x) && x >= 0 && x < 2 ** 32).toBe(true));
  });

  it('draws integers roughly uniformly (chi-square, 10 bins, 20,000 draws)', () => {
    const rng = new Rng(123);
    const bins = new Array(10).fill(0);
    for (let i = 0; i < 20_000; i++) bins[rng.nextInt(10)]++;
    const chi2 = bins.reduce((s, o) => s + (o - 2000) ** 2 / 2000, 0);
    expect(chi2).toBeLessThan(27.9); // p = 0.001 critical value for 9 degrees of freedom
  });

  it('floats lie in [0, 1) and nextInt rejects bad bounds', () => {
    const rng = new Rng(1);
    for (let i = 0; i < 1000; i++) {
      const x = rng.nextFloat();
      expect(x >= 0 && x < 1).toBe(true);
    }
    expect(() => rng.nextInt(0)).toThrowError(RangeError);
  });
});

describe('mix32 / deriveSeed', () => {
  it('avalanches: flipping one input bit flips about half the output bits', () => {
    let flipped = 0;
    for (let x = 0; x < 256; x++) flipped += popcount(mix32(x) ^ mix32(x ^ 1));
    expect(flipped / 256).toBeGreaterThan(12);
    expect(flipped / 256).toBeLessThan(20);
  });
  it('derives distinct seeds per part', () => {
    const seeds = new Set(Array.from({ length: 1000 }, (_, u) => deriveSeed(42, u)));
    expect(seeds.size).toBe(1000);
    expect(deriveSeed(42, 3)).toBe(deriveSeed(42, 3));
  });
});

function popcount(x: number): number {
  let n = 0;
  for (let v = x >>> 0; v; v >>>= 1) n += v & 1;
  return n;
}
