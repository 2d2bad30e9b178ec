import { describe, expect, it } from 'vitest';
import { pairedBootstrap } from '../../src/eval/bootstrap.ts';
import { EvalInputError } from '../../src/eval/errors.ts';
import { Rng } from '../../src/eval/random.ts';

describe('pairedBootstrap', () => {
  it('gives a zero-width interval for a constant difference', () => {
    const r = pairedBootstrap([1, 1, 1], [0.5, 0.5, 0.5], { samples: 200 });
    expect(r.meanDiff).toBe(0.5);
    expect(r.low).toBe(0.5);
    expect(r.high).toBe(0.5);
    expect(r.flipRate).toBe(0);
  });

  it('brackets the true difference and is reproducible by seed', () => {
    const rng = new Rng(11);
    const n = 2000;
    const b = Float64Array.from({ length: n }, () => (rng.nextFloat() < 0.3 ? 1 : 0));
    const a = Float64Array.from(b, (x) => (rng.nextFloat() < 0.1 ? 1 - x : x)); // noisy copy
    const r = pairedBootstrap(a, b, { seed: 4, samples: 500 });
    expect(r.low).toBeLessThanOrEqual(r.meanDiff);
    expect(r.high).toBeGreaterThanOrEqual(r.meanDiff);
    // sd of a per-user diff in {-1,0,1} with P(≠0)≈0.1 is ≈0.32 → 95% half-width ≈ 1.96·0.32/√2000 ≈ 0.014
    expect(r.high - r.low).toBeGreaterThan(0.01);
    expect(r.high - r.low).toBeLessThan(0.04);
    expect(pairedBootstrap(a, b, { seed: 4, samples: 500 })).toEqual(r);
  });

  it('rejects unpaired input', () => {
    expect(() => pairedBootstrap([1, 2], [1])).toThrowError(EvalInputError);
    expect(() => pairedBootstrap([], [])).toThrowError(EvalInputError);
  });
});
