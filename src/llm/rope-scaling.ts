/**
 * Scaled RoPE: per-pair frequency divisors ("rope factors", llama.cpp's `rope_freqs.weight`). Pair j
 * of a head rotates by pos · theta^(−2j/headDim) / factor[j].
 *
 * Llama 3.1 / 3.2 ("llama3" rope_type): with wavelength λ_j = 2π · theta^(2j/headDim),
 * high-frequency pairs (λ < original / highFreqFactor) keep factor 1, low-frequency pairs
 * (λ > original / lowFreqFactor) get `factor`, and in between the inverse frequency is blended:
 * s = (original/λ − lowFreqFactor) / (highFreqFactor − lowFreqFactor),
 * 1/factor_j = (1 − s)/factor + s. "linear" scaling divides every pair by `factor`.
 */
import { UnsupportedArchitectureError } from './load/errors.ts';

/** Parameters of Llama 3's rope scaling (config.json rope_scaling with rope_type "llama3"). */
export interface Llama3RopeScaling {
  factor: number;
  lowFreqFactor: number;
  highFreqFactor: number;
  /** original_max_position_embeddings */
  originalContext: number;
}

/** Rope scaling types this runtime implements. */
export const ROPE_SCALING_TYPES = ['llama3', 'linear'] as const;

/** Scaled RoPE this runtime does not implement (yarn, longrope, dynamic, …), named in the message. */
export class UnsupportedRopeScalingError extends UnsupportedArchitectureError {
  override readonly name = 'UnsupportedRopeScalingError';
}

/** Refuses a scaling type outside ROPE_SCALING_TYPES; `where` names the file / key. */
export function unsupportedScaling(type: string, where: string): UnsupportedRopeScalingError {
  return new UnsupportedRopeScalingError(
    `${where}: rope scaling "${type}" is not supported; expected one of ${ROPE_SCALING_TYPES.join(', ')} ` +
      '(running it unscaled would give wrong outputs beyond short contexts)',
  );
}

/** Llama 3 rope factors [headDim/2] for `theta` and `s`. */
export function llama3RopeFactors(headDim: number, theta: number, s: Llama3RopeScaling): Float32Array {
  if (!(s.factor > 0) || !(s.highFreqFactor > s.lowFreqFactor) || !(s.originalContext > 0)) {
    throw new UnsupportedRopeScalingError(
      `llama3 rope scaling needs factor > 0, high_freq_factor > low_freq_factor and original_max_position_embeddings > 0; got ${JSON.stringify(s)}`,
    );
  }
  const lowWavelength = s.originalContext / s.lowFreqFactor;
  const highWavelength = s.originalContext / s.highFreqFactor;
  return Float32Array.from({ length: headDim / 2 }, (_, j) => {
    const wavelength = 2 * Math.PI * theta ** ((2 * j) / headDim);
    if (wavelength < highWavelength) return 1;
    if (wavelength > lowWavelength) return s.factor;
    const smooth = (s.originalContext / wavelength - s.lowFreqFactor) / (s.highFreqFactor - s.lowFreqFactor);
    return 1 / ((1 - smooth) / s.factor + smooth);
  }); // [headDim/2]
}

/** `{ ropeFactors }` for a LlamaConfig literal, or nothing when unscaled. */
export function ropeFactorsEntry(factors: Float32Array | undefined): { ropeFactors?: Float32Array } {
  return factors ? { ropeFactors: factors } : {};
}

/** Rope factors [headDim/2] from a config.json `rope_scaling` object (null / absent: none). */
export function ropeFactorsFromHfConfig(
  scaling: unknown,
  headDim: number,
  theta: number,
  originalFallback: number,
): Float32Array | undefined {
  if (scaling === undefined || scaling === null) return undefined;
  const s = scaling as Record<string, unknown>;
  const type = String(s.rope_type ?? s.type ?? 'unknown');
  const num = (key: string, fallback?: number) => (typeof s[key] === 'number' ? s[key] : fallback) as number;
  if (type === 'linear') return new Float32Array(headDim / 2).fill(num('factor'));
  if (type !== 'llama3') throw unsupportedScaling(type, 'config.json rope_scaling');
  return llama3RopeFactors(headDim, theta, {
    factor: num('factor'),
    lowFreqFactor: num('low_freq_factor', 1),
    highFreqFactor: num('high_freq_factor', 4),
    originalContext: num('original_max_position_embeddings', originalFallback),
  });
}
