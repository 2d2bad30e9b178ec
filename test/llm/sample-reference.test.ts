import { describe, expect, it } from 'vitest';
import { sampleTokenReference, sampleUniform } from '../../src/llm/sample-reference.ts';
import { Sampler } from '../../src/llm/sampler.ts';

/** Logits whose probabilities at temperature 1 are proportional to `weights`. */
const logitsOf = (weights: number[]) => Float32Array.from(weights, Math.log); // [n]

/** Token ids drawn over `steps` draws (seed 11). */
function draws(logits: Float32Array, temperature: number, topP: number, steps = 2000): number[] {
  return Array.from({ length: steps }, (_, step) =>
    sampleTokenReference(logits, { temperature, topP, seed: 11, step }),
  );
}

describe('GPU sampler reference', () => {
  it('temperature 0 is argmax with the lowest id on ties', () => {
    const logits = Float32Array.of(1, 5, -2, 5, 3);
    expect(sampleTokenReference(logits, { temperature: 0, topP: 0.1, seed: 1, step: 0 })).toBe(1);
  });

  it('the seeded draw is uniform in [0, 1), differs per step, and repeats per (seed, step)', () => {
    const us = Array.from({ length: 4000 }, (_, step) => sampleUniform(5, step));
    expect(Math.min(...us)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...us)).toBeLessThan(1);
    expect(us.reduce((a, b) => a + b, 0) / us.length).toBeCloseTo(0.5, 1);
    expect(new Set(us).size).toBeGreaterThan(3990);
    expect(sampleUniform(5, 17)).toBe(us[17]);
    expect(sampleUniform(6, 17)).not.toBe(us[17]);
  });

  it('frequencies follow the softmax (weights 4:2:1:1, 2000 draws, within 4 sigma)', () => {
    const counts = [0, 0, 0, 0];
    for (const id of draws(logitsOf([4, 2, 1, 1]), 1, 1)) counts[id]++;
    [0.5, 0.25, 0.125, 0.125].forEach((p, i) => {
      const sigma = Math.sqrt(2000 * p * (1 - p));
      expect(Math.abs(counts[i] - 2000 * p)).toBeLessThan(4 * sigma);
    });
  });

  it('top-p keeps the smallest high-probability set reaching the mass, ties at the threshold all kept', () => {
    const logits = logitsOf([4, 2, 1, 1]); // p = 0.5, 0.25, 0.125, 0.125
    expect(new Set(draws(logits, 1, 0.4, 400))).toEqual(new Set([0]));
    expect(new Set(draws(logits, 1, 0.7, 400))).toEqual(new Set([0, 1]));
    expect(new Set(draws(logits, 1, 0.8, 400))).toEqual(new Set([0, 1, 2, 3])); // 0.875 with both ties
    expect(new Set(draws(logitsOf([1, 3, 3, 1]), 1, 0.1, 400))).toEqual(new Set([1, 2])); // tie at the top
  });

  it('Sampler({ portable: true }) draws the reference tokens with a step counter', () => {
    const logits = logitsOf([3, 1, 2, 5, 4]);
    const sampler = new Sampler({ temperature: 1.2, topP: 0.8, seed: 9, portable: true });
    const got = Array.from({ length: 50 }, () => sampler.sample(logits));
    const want = Array.from({ length: 50 }, (_, step) =>
      sampleTokenReference(logits, { temperature: 1.2, topP: 0.8, seed: 9, step }),
    );
    expect(got).toEqual(want);
    expect(new Set(got).size).toBeGreaterThan(1);
  });
});
