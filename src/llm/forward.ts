/**
 * The LLaMA forward pass, written once against `LlamaOps` so it runs on the CPU and on WebGPU
 * (the same shape as src/sasrec/forward.ts). Per layer, for m new tokens at positions p..p+m-1:
 *   h = rmsNorm(x);  q = rope(h·Wqᵀ + bq), k = rope(h·Wkᵀ + bk), v = h·Wvᵀ + bv;  cache k, v at rows p..;
 *   (biases only for qwen2; rope in the pair or NEOX layout per config.neoxRope)
 *   x = x + attention(q, K, V; GQA, causal) · Woᵀ;
 *   h = rmsNorm(x);  x = x + (silu(h·W1ᵀ) ⊙ h·W3ᵀ) · W2ᵀ
 * then logits = rmsNorm(x) · Eᵀ (E = classifier, or the token embedding when tied).
 * Backends with the fused ops (WebGPU) run the attention input (q/k/v, rope and both cache writes;
 * qkv-projection.ts) and the gated feed-forward input as one kernel each; the others compose the
 * plain ops.
 */
import type { LlamaOps, Tensor } from '../gpu/ops.ts';
import { headDim, kvDim, type LlamaConfig } from './config.ts';
import { KvCache } from './kv-cache.ts';
import type { LlamaWeights, WeightMatrix } from './weights.ts';
import { QkvProjection, uploadMatrix } from './qkv-projection.ts';
import { dequantizeRows, type QuantizedMatrix } from '../gpu/reference/matvec_q.ts';

/** The forward pass was called with tokens it cannot process. */
export class LlamaForwardError extends Error {
  override readonly name = 'LlamaForwardError';
}

/** One layer's tensors on the backend. */
interface LayerTensors<T extends Tensor> {
  attnNorm: T; // [dim]
  qkv: QkvProjection<T>;
  wo: T; // [dim, dim]
  ffnNorm: T; // [dim]
  w1: T; // [hiddenDim, dim]
  w2: T; // [dim, hiddenDim]
  w3: T; // [hiddenDim, dim]
}

/** Options of the model. */
export interface LlamaForwardOptions {
  /** KV-cache positions (default: the model's context length, at most 2048) */
  capacity?: number;
}

/** A LLaMA model on one backend with its KV cache. */
export class LlamaForward<T extends Tensor> {
  readonly config: LlamaConfig;
  readonly cache: KvCache<T>;
  /** the backend this model runs on */
  readonly ops: LlamaOps<T>;
  /** [vocab, dim] on the backend; null when the table is quantized (rows are gathered on the host) */
  readonly #embedding: T | null;
  readonly #quantizedEmbedding: QuantizedMatrix | null; // [vocab, dim] blocks
  readonly #classifier: T; // [vocab, dim] (the embedding when tied)
  readonly #finalNorm: T; // [dim]
  readonly #layers: LayerTensors<T>[]; // [layers]

  /**
   * Uploads the weights and allocates the cache. Quantized matrices stay quantized on the backend
   * (`uploadQuantized`); a quantized token embedding stays on the host and only the rows of the
   * tokens being run are dequantised and uploaded (its tied classifier is uploaded quantized).
   */
  constructor(ops: LlamaOps<T>, weights: LlamaWeights<WeightMatrix>, options: LlamaForwardOptions = {}) {
    const c = weights.config;
    const matrix = [c.vocabSize, c.dim];
    this.config = c;
    this.ops = ops;
    const table = weights.tokenEmbedding;
    this.#quantizedEmbedding = table instanceof Float32Array ? null : table;
    this.#embedding = table instanceof Float32Array ? ops.upload(table, matrix, 'token_embd') : null;
    this.#classifier = weights.classifier
      ? uploadMatrix(ops, weights.classifier, matrix, 'output')
      : (this.#embedding ?? uploadMatrix(ops, table, matrix, 'token_embd'));
    this.#finalNorm = ops.upload(weights.finalNorm, [c.dim], 'output_norm');
    const [dim, hidden] = [c.dim, c.hiddenDim];
    this.#layers = weights.layers.map((layer, i) => ({
      attnNorm: ops.upload(layer.attnNorm, [dim], `blk.${i}.attnNorm`),
      qkv: QkvProjection.upload(ops, c, layer, weights.attentionBiases?.[i], i),
      wo: uploadMatrix(ops, layer.wo, [dim, dim], `blk.${i}.wo`),
      ffnNorm: ops.upload(layer.ffnNorm, [dim], `blk.${i}.ffnNorm`),
      w1: uploadMatrix(ops, layer.w1, [hidden, dim], `blk.${i}.w1`),
      w2: uploadMatrix(ops, layer.w2, [dim, hidden], `blk.${i}.w2`),
      w3: uploadMatrix(ops, layer.w3, [hidden, dim], `blk.${i}.w3`),
    }));
    const capacity = options.capacity ?? Math.min(c.contextLength, 2048);
    this.cache = new KvCache(ops, c.layers, capacity, kvDim(c));
  }

  /** Next free position (= tokens processed since the last reset). */
  get position(): number {
    return this.cache.length;
  }

  /** Forget every cached token. */
  reset(): void {
    this.cache.length = 0;
  }

  /**
   * Runs `tokens` at positions position..position+n-1 (prefill when n > 1, decode when n = 1) and
   * returns logits [1, vocab] of the last token, or [n, vocab] of every token when `allLogits`.
   * The caller releases the result.
   */
  forward(tokens: Int32Array, allLogits = false): T {
    const ops = this.ops;
    const c = this.config;
    const n = tokens.length;
    if (n < 1) throw new LlamaForwardError('forward needs at least one token');
    this.cache.reserve(n);
    const start = this.cache.length;
    let x = this.#embed(tokens); // [n, dim]
    for (let l = 0; l < this.#layers.length; l++) {
      const next = this.#layer(l, x, start); // [n, dim]
      ops.release(x);
      x = next;
    }
    this.cache.length = start + n;
    const last = !allLogits && n > 1 ? ops.sliceRows(x, n - 1, 1) : x; // [rows, dim]
    const normed = ops.rmsNorm(last, this.#finalNorm, c.normEps); // [rows, dim]
    const logits = ops.linear(normed, this.#classifier, null); // [rows, vocab]
    for (const t of new Set([x, last, normed])) ops.release(t);
    return logits;
  }

  /** Token embeddings [n, dim]: the embed op, or a host gather of quantized rows. */
  #embed(tokens: Int32Array): T {
    if (this.#embedding) return this.ops.embed(this.#embedding, tokens, 1, null, 0);
    const q = this.#quantizedEmbedding!;
    for (const t of tokens) {
      if (t < 0 || t >= q.rows)
        throw new LlamaForwardError(`token id ${t} is outside the vocabulary 0..${q.rows - 1}`);
    }
    return this.ops.upload(dequantizeRows(q, tokens), [tokens.length, q.cols], 'embed'); // [n, dim]
  }

  /** One transformer block for x [n, dim] at positions start..; returns the new residual stream. */
  #layer(l: number, x: T, start: number): T {
    const ops = this.ops;
    const c = this.config;
    const w = this.#layers[l];
    const n = x.shape[0];
    const rope = {
      headDim: headDim(c),
      positionStart: start,
      theta: c.ropeTheta,
      neox: c.neoxRope ?? false,
      ...(c.ropeFactors ? { freqFactors: c.ropeFactors } : {}),
    };
    const h = ops.rmsNorm(x, w.attnNorm, c.normEps); // [n, dim]
    const q = w.qkv.run(h, rope, this.cache, l, start); // rope(q) [n, dim]; rope(k), v into the cache rows start..
    const attended = ops.attention(q, this.cache.keys[l], this.cache.values[l], {
      queries: n,
      keys: start + n,
      heads: c.heads,
      kvHeads: c.kvHeads,
      headDim: headDim(c),
      queryStart: start,
      scale: 1 / Math.sqrt(headDim(c)),
    }); // [n, dim]
    const afterAttention = ops.linear(attended, w.wo, null, { residual: x }); // [n, dim]
    const h2 = ops.rmsNorm(afterAttention, w.ffnNorm, c.normEps); // [n, dim]
    const gated = this.#gatedFeedForward(h2, w.w1, w.w3); // [n, hidden]
    const out = ops.linear(gated, w.w2, null, { residual: afterAttention }); // [n, dim]
    for (const t of [h, q, attended, afterAttention, h2, gated]) ops.release(t);
    return out;
  }

  /** silu(h·W1ᵀ) ⊙ h·W3ᵀ for h [n, dim] → [n, hidden]: one fused op when the backend has it. */
  #gatedFeedForward(h: T, w1: T, w3: T): T {
    const ops = this.ops;
    if (ops.gatedLinear) return ops.gatedLinear(h, w1, w3);
    const gate = ops.linear(h, w1, null); // [n, hidden]
    const up = ops.linear(h, w3, null); // [n, hidden]
    const gated = ops.swiglu(gate, up); // [n, hidden]
    for (const t of [gate, up]) ops.release(t);
    return gated;
  }

  /** Frees every weight and the cache. */
  dispose(): void {
    const layerTensors = this.#layers.flatMap(({ qkv, ...rest }) => [
      ...qkv.tensors(),
      ...Object.values(rest),
    ]);
    const all = new Set([this.#embedding, this.#classifier, this.#finalNorm, ...layerTensors]);
    for (const t of all) if (t) this.ops.release(t);
    this.cache.dispose();
  }
}
