/**
 * The SASRec forward pass, written once against `TensorOps` so it runs on the CPU and on WebGPU.
 *
 * Graph (docs/ARCHITECTURE.md, "SASRec"): x = item_emb[s]·√d + pos_emb[p]; per block
 *   q = LN_attn(x);  x = q + MHA(q, x, x)   (keys/values come from the block input x, causal)
 *   f = LN_ffn(x);   x = f + fc2(relu(fc1(f)))
 * then h = LN_last(x) of the last position, and score(i) = h · item_emb[i].
 *
 * Each block keeps a KV cache [maxLen, d] of its keys and values by cache row (row j = history
 * item j of the window). `prefill` recomputes the window from scratch; `extend` / `append` compute
 * only the new rows against the cached ones. Rows never need padding: the window holds exactly the
 * real items, so the key-padding mask is simply `keys = rows filled`.
 */
import type { Tensor, TensorOps } from '../gpu/ops';
import type { SasrecConfig } from './config';
import type { SasrecWeights } from './weights';

/** The forward pass was asked for something its window or position mode cannot do. */
export class SasrecForwardError extends Error {
  override name = 'SasrecForwardError';
}

/** One block's parameters as backend tensors. */
interface BlockTensors<T> {
  attnNormGamma: T; // [d]
  attnNormBeta: T; // [d]
  wq: T; // [d, d]
  bq: T; // [d]
  wk: T; // [d, d]
  bk: T; // [d]
  wv: T; // [d, d]
  bv: T; // [d]
  wo: T; // [d, d]
  bo: T; // [d]
  ffnNormGamma: T; // [d]
  ffnNormBeta: T; // [d]
  fc1W: T; // [d, d]
  fc1B: T; // [d]
  fc2W: T; // [d, d]
  fc2B: T; // [d]
}

const MATRIX_KEYS: ReadonlySet<string> = new Set(['wq', 'wk', 'wv', 'wo', 'fc1W', 'fc2W']);

/** Upload every host array of a block to the backend, keeping field names. */
function uploadBlock<T extends Tensor>(
  ops: TensorOps<T>,
  block: SasrecWeights['blocks'][number],
  d: number,
  i: number,
): BlockTensors<T> {
  const out = {} as Record<keyof BlockTensors<T>, T>;
  for (const [key, data] of Object.entries(block) as [keyof BlockTensors<T>, Float32Array][]) {
    const shape = MATRIX_KEYS.has(key) ? [d, d] : [d];
    out[key] = ops.upload(data, shape, `block${i}.${key}`);
  }
  return out;
}

/** SASRec with per-block KV caches over the current history window. */
export class SasrecForward<T extends Tensor> {
  readonly config: SasrecConfig;
  /** item embedding table [itemCount + 1, d], also the scoring matrix */
  readonly itemEmb: T;
  readonly #ops: TensorOps<T>;
  readonly #posEmb: T; // [maxLen, d]
  readonly #blocks: BlockTensors<T>[]; // [blocks]
  readonly #lastNormGamma: T; // [d]
  readonly #lastNormBeta: T; // [d]
  readonly #kCache: T[]; // [blocks] of [maxLen, d]
  readonly #vCache: T[]; // [blocks] of [maxLen, d]
  #rows = 0; // cache rows filled (= window items processed)
  #positionStart = 0; // position of cache row 0
  #lastQuery: T | null = null; // [1, d] last block's query of the last row (for attribution)

  /** Upload the weights and allocate the caches. */
  constructor(ops: TensorOps<T>, weights: SasrecWeights) {
    const c = weights.config;
    const d = c.hiddenUnits;
    this.config = c;
    this.#ops = ops;
    this.itemEmb = ops.upload(weights.itemEmb, [c.itemCount + 1, d], 'item_emb');
    this.#posEmb = ops.upload(weights.posEmb, [c.maxLen, d], 'pos_emb');
    this.#blocks = weights.blocks.map((b, i) => uploadBlock(ops, b, d, i));
    this.#lastNormGamma = ops.upload(weights.lastNormGamma, [d], 'last_norm.gamma');
    this.#lastNormBeta = ops.upload(weights.lastNormBeta, [d], 'last_norm.beta');
    this.#kCache = this.#blocks.map((_, i) => ops.zeros([c.maxLen, d], `k_cache${i}`));
    this.#vCache = this.#blocks.map((_, i) => ops.zeros([c.maxLen, d], `v_cache${i}`));
  }

  /** Number of window items whose keys/values are cached. */
  get cachedRows(): number {
    return this.#rows;
  }

  /** Forget the cached window (the next call must be `prefill`). */
  reset(): void {
    this.#rows = 0;
  }

  /**
   * Recompute the window `items` (≤ maxLen ids) from scratch, item j at position positionStart + j;
   * returns the final hidden state of the last item [1, d] (the caller releases it).
   */
  prefill(items: Int32Array, positionStart: number): T {
    const { maxLen } = this.config;
    if (items.length < 1 || items.length > maxLen) {
      throw new SasrecForwardError(
        `prefill needs 1..${maxLen} items, got ${items.length}; pass the last maxLen items of the history`,
      );
    }
    if (!Number.isInteger(positionStart) || positionStart < 0 || positionStart + items.length > maxLen) {
      throw new SasrecForwardError(
        `positions ${positionStart}..${positionStart + items.length - 1} fall outside 0..${maxLen - 1}`,
      );
    }
    this.#rows = 0;
    this.#positionStart = positionStart;
    return this.#forwardRows(items);
  }

  /** Add items after the cached window, computing only their rows; returns the last hidden [1, d]. */
  extend(items: Int32Array): T {
    const { maxLen, positions } = this.config;
    if (this.#rows === 0)
      throw new SasrecForwardError('extend/append needs a cached window; call prefill first');
    if (positions !== 'from_start') {
      throw new SasrecForwardError(
        'right_aligned positions shift on every append; use prefill (full recompute)',
      );
    }
    if (items.length < 1 || this.#rows + items.length > maxLen) {
      throw new SasrecForwardError(
        `cannot add ${items.length} item(s) to ${this.#rows} cached rows (window ${maxLen}); prefill instead`,
      );
    }
    return this.#forwardRows(items);
  }

  /** Add one item after the cached window (one new position); returns the last hidden [1, d]. */
  append(item: number): T {
    return this.extend(Int32Array.of(item));
  }

  /** Scores of every item id for a final hidden state h [1, d] → [1, itemCount + 1] (id 0 = padding). */
  score(h: T): T {
    return this.#ops.linear(h, this.itemEmb, null);
  }

  /**
   * Last block's attention weights of the last window row over the cached rows [rows], averaged
   * over heads (what "because you watched …" shows; attention-based, not a causal explanation).
   */
  async lastAttention(): Promise<Float32Array> {
    if (!this.#lastQuery || this.#rows === 0) throw new SasrecForwardError('no forward pass has run yet');
    const { hiddenUnits: d, heads } = this.config;
    const q = await this.#ops.read(this.#lastQuery); // [1, d]
    const k = await this.#ops.read(this.#kCache[this.#blocks.length - 1]); // [maxLen, d]
    const headDim = d / heads;
    const weights = new Float32Array(this.#rows); // [rows]
    for (let h = 0; h < heads; h++) {
      const logits = new Float64Array(this.#rows); // [rows]
      for (let j = 0; j < this.#rows; j++) {
        let dot = 0;
        for (let c = h * headDim; c < (h + 1) * headDim; c++) dot += q[c] * k[j * d + c];
        logits[j] = dot / Math.sqrt(headDim);
      }
      const max = Math.max(...logits);
      let total = 0;
      for (let j = 0; j < this.#rows; j++) total += logits[j] = Math.exp(logits[j] - max);
      for (let j = 0; j < this.#rows; j++) weights[j] += logits[j] / total / heads;
    }
    return weights;
  }

  /** Give every weight, cache and kept tensor back to the backend; the object is unusable afterwards. */
  dispose(): void {
    const blockTensors = this.#blocks.flatMap((b) => Object.values(b) as T[]);
    const all = [this.itemEmb, this.#posEmb, this.#lastNormGamma, this.#lastNormBeta, ...blockTensors];
    for (const t of [...all, ...this.#kCache, ...this.#vCache]) this.#ops.release(t);
    if (this.#lastQuery) this.#ops.release(this.#lastQuery);
    this.#lastQuery = null;
    this.#rows = 0;
  }

  /** Run all blocks for new window items at cache rows #rows.. and return LN_last of the last row. */
  #forwardRows(items: Int32Array): T {
    const ops = this.#ops;
    const { hiddenUnits: d, heads } = this.config;
    const rowStart = this.#rows;
    const m = items.length;
    let x = ops.embed(this.itemEmb, items, Math.sqrt(d), this.#posEmb, this.#positionStart + rowStart); // [m, d]
    for (let b = 0; b < this.#blocks.length; b++) {
      const w = this.#blocks[b];
      const k = ops.linear(x, w.wk, w.bk); // [m, d]
      const v = ops.linear(x, w.wv, w.bv); // [m, d]
      ops.writeRows(this.#kCache[b], rowStart, k);
      ops.writeRows(this.#vCache[b], rowStart, v);
      ops.release(k);
      ops.release(v);
      // The last block's outputs feed only the final row, so it computes queries for that row alone.
      const lastBlock = b === this.#blocks.length - 1;
      const queryRows = lastBlock ? 1 : m;
      const xq = lastBlock && m > 1 ? ops.sliceRows(x, m - 1, 1) : x; // [queryRows, d]
      const q = ops.layerNorm(xq, w.attnNormGamma, w.attnNormBeta, this.config.layerNormEps); // [queryRows, d]
      const query = ops.linear(q, w.wq, w.bq); // [queryRows, d]
      const attended = ops.attention(query, this.#kCache[b], this.#vCache[b], {
        queries: queryRows,
        keys: rowStart + m,
        heads,
        kvHeads: heads,
        headDim: d / heads,
        queryStart: rowStart + m - queryRows,
        scale: 1 / Math.sqrt(d / heads),
      }); // [queryRows, d]
      const afterAttention = ops.linear(attended, w.wo, w.bo, { residual: q }); // [queryRows, d]
      const f = ops.layerNorm(afterAttention, w.ffnNormGamma, w.ffnNormBeta, this.config.layerNormEps); // [queryRows, d]
      const hidden = ops.linear(f, w.fc1W, w.fc1B, { relu: true }); // [queryRows, d]
      const next = ops.linear(hidden, w.fc2W, w.fc2B, { residual: f }); // [queryRows, d]
      if (lastBlock) this.#keepLastQuery(query);
      else ops.release(query);
      for (const t of new Set([x, xq, q, attended, afterAttention, f, hidden])) ops.release(t);
      x = next;
    }
    this.#rows = rowStart + m;
    const h = ops.layerNorm(x, this.#lastNormGamma, this.#lastNormBeta, this.config.layerNormEps); // [1, d]
    ops.release(x);
    return h;
  }

  #keepLastQuery(query: T): void {
    if (this.#lastQuery) this.#ops.release(this.#lastQuery);
    this.#lastQuery = query;
  }
}
