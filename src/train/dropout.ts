/**
 * Inverted dropout for the trainer, at the places models/train/sasrec_model.py applies it: the
 * embedding sum, the attention weights, and both sides of the feed-forward ReLU (after it, and on
 * fc2's output). A kept value is scaled by 1 / (1 − rate), so inference needs no change.
 */
import type { Rng } from '../eval/random.ts';

/** Dropout while training: the rate and the seeded generator of the masks. */
export interface Dropout {
  rate: number;
  rng: Rng;
}

/** A mask of `length` values, 0 (dropped) or 1 / (1 − rate); null when there is no dropout. */
export function dropoutMask(length: number, dropout: Dropout | undefined): Float32Array | null {
  if (!dropout || dropout.rate <= 0) return null;
  const keep = 1 - dropout.rate;
  const mask = new Float32Array(length); // [length]
  for (let i = 0; i < length; i++) mask[i] = dropout.rng.nextFloat() < keep ? 1 / keep : 0;
  return mask;
}

/** values *= mask, element-wise and in place (nothing when the mask is null). */
export function applyMask(values: Float32Array | Float64Array, mask: Float32Array | null): void {
  if (mask) for (let i = 0; i < values.length; i++) values[i] *= mask[i];
}
