/**
 * Small seeded pseudo-random numbers for everything that needs a seed (negative sampling,
 * bootstrap). A Weyl sequence (counter += golden-ratio constant) passed through a 32-bit
 * avalanche mix: fast, stateless per draw, and identical in every JS engine.
 */

/** 32-bit avalanche mix: xor-shift / multiply rounds; every input bit affects every output bit. */
export function mix32(x: number): number {
  let h = x >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x21f0aaad);
  h = Math.imul(h ^ (h >>> 15), 0x735a2d97);
  return (h ^ (h >>> 15)) >>> 0;
}

/** Combine a seed with further integers (e.g. a user index) into an independent 32-bit seed. */
export function deriveSeed(seed: number, ...parts: number[]): number {
  let h = mix32(seed ^ 0x5bd1e995);
  for (const p of parts) h = mix32(h ^ mix32((p >>> 0) + 0x9e3779b9));
  return h;
}

const TWO_POW_32 = 4294967296;

/** A seeded generator. Same seed → same sequence. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = mix32(seed) >>> 0;
  }

  /** Next uniform 32-bit unsigned integer. */
  nextU32(): number {
    this.state = (this.state + 0x9e3779b9) >>> 0;
    return mix32(this.state);
  }

  /** Uniform float in [0, 1). */
  nextFloat(): number {
    return this.nextU32() / TWO_POW_32;
  }

  /** Uniform integer in [0, n) without modulo bias; n must be in 1..2^32. */
  nextInt(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > TWO_POW_32)
      throw new RangeError(`nextInt needs an integer 1..2^32, got ${n}`);
    const limit = TWO_POW_32 - (TWO_POW_32 % n); // largest multiple of n ≤ 2^32
    for (;;) {
      const x = this.nextU32();
      if (x < limit) return x % n;
    }
  }
}

/** A seeded source of uniform floats in [0, 1) (an `Rng` behind a plain function). */
export function seededRandom(seed: number): () => number {
  const rng = new Rng(seed);
  return () => rng.nextFloat();
}
