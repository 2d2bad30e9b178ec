import { describe, expect, it } from 'vitest';
import { Sampler, SamplerError, argmax } from '../../src/llm/sampler.ts';

describe('sampler', () => {
  it('greedy picks the largest logit, the lowest id on ties', () => {
    expect(argmax(Float32Array.of(1, 3, 3, 2))).toBe(1);
    expect(new Sampler().sample(Float32Array.of(-1, -0.5, -2))).toBe(1);
  });

  it('temperature sampling is reproducible for a seed and follows the softmax', () => {
    const logits = Float32Array.of(Math.log(0.7), Math.log(0.2), Math.log(0.1));
    const draw = (seed: number) => {
      const s = new Sampler({ temperature: 1, seed });
      return Array.from({ length: 4000 }, () => s.sample(logits));
    };
    expect(draw(5)).toEqual(draw(5));
    const counts = [0, 0, 0];
    for (const id of draw(9)) counts[id]++;
    // binomial sd ≤ √(4000·0.25) ≈ 32 draws; allow 5 sd
    expect(Math.abs(counts[0] - 2800)).toBeLessThan(160);
    expect(Math.abs(counts[2] - 400)).toBeLessThan(160);
  });

  it('top-p keeps the smallest set reaching the mass', () => {
    const logits = Float32Array.of(Math.log(0.1), Math.log(0.6), Math.log(0.3));
    const s = new Sampler({ temperature: 1, topP: 0.5, seed: 1 });
    for (let i = 0; i < 200; i++) expect(s.sample(logits)).toBe(1);
    const two = new Sampler({ temperature: 1, topP: 0.85, seed: 2 });
    const seen = new Set(Array.from({ length: 300 }, () => two.sample(logits)));
    expect([...seen].sort()).toEqual([1, 2]);
  });

  it('rejects bad options', () => {
    expect(() => new Sampler({ temperature: -1 })).toThrow(SamplerError);
    expect(() => new Sampler({ topP: 0 })).toThrow(/topP = 0/);
  });
});
