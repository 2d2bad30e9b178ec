/**
 * One layer's attention input on a backend: for h = the attention-normed x, q/k/v = h · W{q,k,v}ᵀ
 * (+ biases), rope of q and k, k and v into the KV cache. Backends with `attentionInput` (WebGPU)
 * get Wq, Wk, Wv stacked into one matrix and run all of it in one kernel; the others compose the
 * plain ops.
 */
import type { LlamaOps, RopeParams, Tensor } from '../gpu/ops.ts';
import { headDim, kvDim, type LlamaConfig } from './config.ts';
import type { KvCache } from './kv-cache.ts';
import { stackRows, type AttentionBiases, type LlamaLayerWeights, type WeightMatrix } from './weights.ts';

/** Uploads an f32 weight as is and a quantized one through `uploadQuantized` (rows grouped by `rowAlign`). */
export function uploadMatrix<T extends Tensor>(
  ops: LlamaOps<T>,
  m: WeightMatrix,
  shape: readonly number[],
  label: string,
  rowAlign = 1,
): T {
  return m instanceof Float32Array ? ops.upload(m, shape, label) : ops.uploadQuantized(m, label, rowAlign);
}

type Separate<T> = { wq: T; wk: T; wv: T; bias: Record<'q' | 'k' | 'v', T> | null };
type Stacked<T> = { wqkv: T; bias: T | null }; // [dim + 2·kvDim, dim], [dim + 2·kvDim]

/** The q/k/v weights of one layer as the backend holds them. */
export class QkvProjection<T extends Tensor> {
  private constructor(
    private readonly ops: LlamaOps<T>,
    private readonly weights: Stacked<T> | Separate<T>,
  ) {}

  /** Uploads layer `i`'s Wq, Wk, Wv (and biases): stacked when the backend fuses and their kinds match. */
  static upload<T extends Tensor>(
    ops: LlamaOps<T>,
    c: LlamaConfig,
    layer: LlamaLayerWeights<WeightMatrix>,
    bias: AttentionBiases | undefined,
    i: number,
  ): QkvProjection<T> {
    const [dim, kv] = [c.dim, kvDim(c)];
    const stacked = ops.attentionInput ? stackRows([layer.wq, layer.wk, layer.wv]) : null;
    if (stacked) {
      const shape = [dim + 2 * kv, dim];
      const wqkv = uploadMatrix(ops, stacked, shape, `blk.${i}.wqkv`, headDim(c));
      const b = bias ? (stackRows([bias.q, bias.k, bias.v]) as Float32Array) : null; // [dim + 2·kvDim]
      return new QkvProjection(ops, { wqkv, bias: b ? ops.upload(b, [shape[0]], `blk.${i}.bqkv`) : null });
    }
    return new QkvProjection(ops, {
      wq: uploadMatrix(ops, layer.wq, [dim, dim], `blk.${i}.wq`),
      wk: uploadMatrix(ops, layer.wk, [kv, dim], `blk.${i}.wk`),
      wv: uploadMatrix(ops, layer.wv, [kv, dim], `blk.${i}.wv`),
      bias: bias
        ? {
            q: ops.upload(bias.q, [dim], `blk.${i}.bq`), // [dim]
            k: ops.upload(bias.k, [kv], `blk.${i}.bk`), // [kvDim]
            v: ops.upload(bias.v, [kv], `blk.${i}.bv`), // [kvDim]
          }
        : null,
    });
  }

  /**
   * For h [n, dim] at positions start..: writes rope(k) and v into layer `l`'s cache rows start..
   * and returns rope(q) [n, dim] (the caller releases it).
   */
  run(h: T, rope: RopeParams, cache: KvCache<T>, l: number, start: number): T {
    const ops = this.ops;
    const [keyCache, valueCache] = [cache.keys[l], cache.values[l]];
    if ('wqkv' in this.weights) {
      const p = { rope, keyCache, valueCache, cacheRow: start };
      return ops.attentionInput!(h, this.weights.wqkv, this.weights.bias, p);
    }
    const { wq, wk, wv, bias } = this.weights;
    const q = ops.linear(h, wq, bias?.q ?? null); // [n, dim]
    const k = ops.linear(h, wk, bias?.k ?? null); // [n, kvDim]
    const v = ops.linear(h, wv, bias?.v ?? null); // [n, kvDim]
    const kr = ops.rope(k, rope); // [n, kvDim]
    cache.writeKeys(l, start, kr);
    cache.writeValues(l, start, v);
    const qr = ops.rope(q, rope); // [n, dim]
    for (const t of [q, k, v, kr]) ops.release(t);
    return qr;
  }

  /** Every tensor this projection holds (for dispose). */
  tensors(): T[] {
    const w = this.weights;
    if ('wqkv' in w) return w.bias ? [w.wqkv, w.bias] : [w.wqkv];
    return [w.wq, w.wk, w.wv, ...(w.bias ? [w.bias.q, w.bias.k, w.bias.v] : [])];
  }
}
