/**
 * Hyper-parameters of a LLaMA-class model, as every loader (GGUF, llama2.c .bin) fills them in,
 * with one validation so a bad header fails before anything is allocated.
 */

/** A model header or metadata block describes a model this runtime cannot build. */
export class LlamaConfigError extends Error {
  override readonly name = 'LlamaConfigError';
}

/** Shape of a LLaMA-architecture model. */
export interface LlamaConfig {
  /** model width (embedding length) */
  dim: number;
  /** feed-forward width (w1/w3 rows) */
  hiddenDim: number;
  layers: number;
  /** query heads */
  heads: number;
  /** key/value heads (GQA when < heads) */
  kvHeads: number;
  vocabSize: number;
  /** longest context the model was trained for (KV-cache capacity upper bound) */
  contextLength: number;
  /** RoPE base */
  ropeTheta: number;
  /** RMSNorm epsilon */
  normEps: number;
  /** true: the output classifier is the token embedding table (tied weights) */
  sharedClassifier: boolean;
  /** true: RoPE in the NEOX layout, pairs (j, j + headDim/2) (GGUF qwen2); absent: adjacent pairs */
  neoxRope?: boolean;
  /** scaled RoPE: per-pair frequency divisors [headDim/2] (rope-scaling.ts); absent: unscaled */
  ropeFactors?: Float32Array;
}

/** Values per head (dim / heads). */
export function headDim(c: LlamaConfig): number {
  return c.dim / c.heads;
}

/** Width of the key/value projections (kvHeads · headDim). */
export function kvDim(c: LlamaConfig): number {
  return c.kvHeads * headDim(c);
}

/** Largest size of any single dimension we accept (guards against absurd headers). */
export const MAX_DIMENSION = 1 << 24;

/**
 * Checks every field; throws LlamaConfigError naming the field, its value and what it must be.
 * `source` names the file or format in the message.
 */
export function validateLlamaConfig(c: LlamaConfig, source: string): LlamaConfig {
  const positive = ['dim', 'hiddenDim', 'layers', 'heads', 'kvHeads', 'vocabSize', 'contextLength'] as const;
  for (const key of positive) {
    const value = c[key];
    if (!Number.isInteger(value) || value < 1 || value > MAX_DIMENSION) {
      throw new LlamaConfigError(
        `${source}: ${key} = ${value}; expected an integer in 1..${MAX_DIMENSION} (is this a LLaMA model file?)`,
      );
    }
  }
  if (c.layers > 1024) throw new LlamaConfigError(`${source}: layers = ${c.layers}; expected at most 1024`);
  if (c.dim % c.heads !== 0) {
    throw new LlamaConfigError(`${source}: dim ${c.dim} is not a multiple of heads ${c.heads}`);
  }
  if (headDim(c) % 2 !== 0) {
    throw new LlamaConfigError(`${source}: head size ${headDim(c)} is odd; RoPE needs an even head size`);
  }
  if (c.heads % c.kvHeads !== 0) {
    throw new LlamaConfigError(`${source}: heads ${c.heads} is not a multiple of kvHeads ${c.kvHeads}`);
  }
  if (!(c.ropeTheta > 0) || !Number.isFinite(c.ropeTheta)) {
    throw new LlamaConfigError(`${source}: rope theta = ${c.ropeTheta}; expected a positive number`);
  }
  if (c.ropeFactors && (c.ropeFactors.length !== headDim(c) / 2 || !c.ropeFactors.every((f) => f > 0))) {
    throw new LlamaConfigError(
      `${source}: ${c.ropeFactors.length} rope factors; expected ${headDim(c) / 2} positive values (one per pair of a head)`,
    );
  }
  if (!(c.normEps > 0) || c.normEps > 0.1) {
    throw new LlamaConfigError(`${source}: RMSNorm epsilon = ${c.normEps}; expected a small positive number`);
  }
  return c;
}
