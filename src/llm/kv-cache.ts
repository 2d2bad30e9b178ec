/**
 * Per-layer key/value caches of a LLaMA forward pass: row p holds the (rotated) key and the value
 * of the token at position p. Shared shape with the SASRec caches; the attention core reads rows
 * 0..length-1.
 */
import type { Tensor, TensorOps } from '../gpu/ops.ts';

/** The cache cannot take the rows asked for. */
export class KvCacheError extends Error {
  override readonly name = 'KvCacheError';
}

/** Keys and values of every layer, `capacity` positions each. */
export class KvCache<T extends Tensor> {
  readonly keys: T[]; // [layers] of [capacity, kvDim]
  readonly values: T[]; // [layers] of [capacity, kvDim]
  /** positions filled (rows 0..length-1 are valid in every layer once a forward step finishes) */
  length = 0;

  constructor(
    private readonly ops: TensorOps<T>,
    layers: number,
    readonly capacity: number,
    readonly kvDim: number,
  ) {
    this.keys = Array.from({ length: layers }, (_, i) => ops.zeros([capacity, kvDim], `k_cache${i}`));
    this.values = Array.from({ length: layers }, (_, i) => ops.zeros([capacity, kvDim], `v_cache${i}`));
  }

  /** Throws unless `count` more positions fit after `length`. */
  reserve(count: number): void {
    if (this.length + count > this.capacity) {
      throw new KvCacheError(
        `the context holds ${this.capacity} tokens; ${this.length} are used and ${count} more were asked for. ` +
          'Shorten the prompt or reset the cache.',
      );
    }
  }

  /** Writes rotated keys k [n, kvDim] of `layer` at rows start..start+n-1 (backends with `attentionInput` write them in that kernel). */
  writeKeys(layer: number, start: number, k: T): void {
    this.ops.writeRows(this.keys[layer], start, k);
  }

  /** Writes values v [n, kvDim] of `layer` at rows start..start+n-1. */
  writeValues(layer: number, start: number, v: T): void {
    this.ops.writeRows(this.values[layer], start, v);
  }

  /** Frees every cache tensor. */
  dispose(): void {
    for (const t of [...this.keys, ...this.values]) this.ops.release(t);
    this.length = 0;
  }
}
