/**
 * Next-token choice from logits: greedy (argmax, ties → lowest id, as llama2.c) or temperature
 * sampling with optional top-p (nucleus) truncation from a seeded generator, so a given seed always
 * produces the same text.
 */
import { seededRandom } from '../eval/random.ts';
import type { SampleParams } from '../gpu/ops.ts';
import { sampleTokenReference } from './sample-reference.ts';

/** Bad sampling options. */
export class SamplerError extends Error {
  override readonly name = 'SamplerError';
}

/** Sampling options; temperature 0 means greedy. */
export interface SamplingOptions {
  temperature?: number;
  /** keep the smallest set of tokens whose probability mass reaches topP (1 = all) */
  topP?: number;
  seed?: number;
  /**
   * true: draw with the counter-based sampler the GPU runs (src/llm/sample-reference.ts), so a seed
   * gives the same tokens on every backend and WebGPU reads back one id instead of the logits;
   * false (default): the host sampler below (a different seeded stream)
   */
  portable?: boolean;
}

/** Index of the largest value (first one on ties); -1 for an empty array. */
export function argmax(values: ArrayLike<number>): number {
  let best = -1;
  for (let i = 0; i < values.length; i++) if (best < 0 || values[i] > values[best]) best = i;
  return best;
}

/** Picks token ids from logits rows. */
export class Sampler {
  readonly temperature: number;
  readonly topP: number;
  readonly #random: () => number;
  readonly portable: boolean;
  readonly #seed: number;
  #draws = 0;

  constructor(options: SamplingOptions = {}) {
    this.temperature = options.temperature ?? 0;
    this.topP = options.topP ?? 1;
    if (!(this.temperature >= 0) || !Number.isFinite(this.temperature)) {
      throw new SamplerError(`temperature = ${this.temperature}; use 0 (greedy) or a positive number`);
    }
    if (!(this.topP > 0 && this.topP <= 1))
      throw new SamplerError(`topP = ${this.topP}; use a value in (0, 1]`);
    this.#random = seededRandom(options.seed ?? 0);
    this.#seed = options.seed ?? 0;
    this.portable = options.portable ?? false;
  }

  /** The next portable draw's parameters (advances the draw counter). */
  nextDraw(): SampleParams {
    return { temperature: this.temperature, topP: this.topP, seed: this.#seed, step: this.#draws++ };
  }

  /** True when no randomness is involved (the GPU can pick the token with a top-1). */
  get greedy(): boolean {
    return this.temperature === 0;
  }

  /** Chooses a token id from logits [vocab]. */
  sample(logits: Float32Array): number {
    if (this.greedy) return argmax(logits);
    if (this.portable) return sampleTokenReference(logits, this.nextDraw());
    const max = logits[argmax(logits)];
    const probs = Float64Array.from(logits, (l) => Math.exp((l - max) / this.temperature)); // [vocab]
    let total = probs.reduce((a, b) => a + b, 0);
    let order = Array.from(probs.keys()); // [vocab] candidate ids
    if (this.topP < 1) {
      order.sort((a, b) => probs[b] - probs[a] || a - b);
      let mass = 0;
      const kept = order.findIndex((id) => (mass += probs[id] / total) >= this.topP);
      order = order.slice(0, kept + 1);
      total = order.reduce((sum, id) => sum + probs[id], 0);
    }
    let r = this.#random() * total;
    for (const id of order) if ((r -= probs[id]) < 0) return id;
    return order[order.length - 1];
  }
}
