/**
 * SASRec forward and backward on the CPU for one unpadded sequence, the exact graph of the page's
 * runtime (src/sasrec/forward.ts, models/train/sasrec_model.py; no dropout):
 *   x = item_emb[s]·√d + pos_emb[0..L-1]
 *   per block: q = LN_a(x); x = q + Wo·attn(Wq q, Wk x, Wv x) (causal);
 *              f = LN_f(x); x = f + fc2(relu(fc1(f)))
 *   h = LN_last(x);  logits_t = h_t · item_emb[1..N]  (row 0, padding, never scored)
 * Loss: full-softmax cross-entropy of the next item at every position.
 * Because a sequence is processed unpadded, the masks of the padded PyTorch batch are not needed:
 * a left-aligned valid row never sees a padding row there either.
 */
import { linearReference } from '../gpu/reference/linear.ts';
import type { SasrecConfig } from '../sasrec/config.ts';
import {
  causalAttentionBackward,
  causalAttentionForward,
  layerNormBackward,
  layerNormForward,
  linearBackward,
  type LayerNormCache,
} from './layers.ts';
import { applyMask, dropoutMask, type Dropout } from './dropout.ts';
import type { BlockViews, ModelViews } from './params.ts';

/** What one block's forward keeps for the backward. */
interface BlockCache {
  x: Float32Array; // [L, d] block input
  q: Float32Array; // [L, d] LN_a(x)
  attnNorm: LayerNormCache;
  queries: Float32Array; // [L, d]
  keys: Float32Array; // [L, d]
  values: Float32Array; // [L, d]
  weights: Float32Array; // [heads, L, L]
  attnMask: Float32Array | null; // [heads, L, L] dropout
  attended: Float32Array; // [L, d]
  f: Float32Array; // [L, d] LN_f(q + attention)
  ffnNorm: LayerNormCache;
  hidden: Float32Array; // [L, d] relu(fc1(f)), after dropout
  hiddenMask: Float32Array | null; // [L, d] dropout after the ReLU
  outMask: Float32Array | null; // [L, d] dropout on fc2's output
}

/** A forward pass over one sequence with everything the backward needs. */
export interface SequenceForward {
  items: Int32Array; // [L]
  embedMask: Float32Array | null; // [L, d] dropout on the embedding sum
  blocks: BlockCache[]; // [blocks]
  lastNorm: LayerNormCache;
  out: Float32Array; // [L, d] final hidden states h
}

/**
 * Run the model over `items` (≤ maxLen ids, positions 0..L-1) keeping the intermediates; with
 * `dropout` (training) masks are drawn where the PyTorch model applies dropout.
 */
export function forwardSequence(
  config: SasrecConfig,
  p: ModelViews,
  items: Int32Array,
  dropout?: Dropout,
): SequenceForward {
  const d = config.hiddenUnits;
  const L = items.length;
  const eps = config.layerNormEps;
  const scale = Math.sqrt(d);
  let x: Float32Array = new Float32Array(L * d); // [L, d]
  for (let i = 0; i < L; i++) {
    for (let c = 0; c < d; c++) x[i * d + c] = p.itemEmb[items[i] * d + c] * scale + p.posEmb[i * d + c];
  }
  const embedMask = dropoutMask(L * d, dropout);
  applyMask(x, embedMask);
  const blocks: BlockCache[] = [];
  for (const w of p.blocks) {
    const attnLn = layerNormForward(x, w.attnNormGamma, w.attnNormBeta, L, d, eps);
    const q = attnLn.out; // [L, d]
    const queries = linearReference(q, w.wq, L, d, d, { bias: w.bq }); // [L, d]
    const keys = linearReference(x, w.wk, L, d, d, { bias: w.bk }); // [L, d]
    const values = linearReference(x, w.wv, L, d, d, { bias: w.bv }); // [L, d]
    const attnMask = dropoutMask(config.heads * L * L, dropout);
    const attention = causalAttentionForward(
      queries,
      keys,
      values,
      { rows: L, d, heads: config.heads },
      attnMask,
    );
    const y = linearReference(attention.out, w.wo, L, d, d, { bias: w.bo, residual: q }); // [L, d]
    const ffnLn = layerNormForward(y, w.ffnNormGamma, w.ffnNormBeta, L, d, eps);
    const f = ffnLn.out; // [L, d]
    const hidden = linearReference(f, w.fc1W, L, d, d, { bias: w.fc1B, relu: true }); // [L, d]
    const hiddenMask = dropoutMask(L * d, dropout);
    applyMask(hidden, hiddenMask);
    const outMask = dropoutMask(L * d, dropout);
    const next = linearReference(hidden, w.fc2W, L, d, d, { bias: w.fc2B }); // [L, d]
    applyMask(next, outMask);
    for (let i = 0; i < next.length; i++) next[i] += f[i];
    blocks.push({
      x,
      q,
      attnNorm: attnLn.cache,
      queries,
      keys,
      values,
      weights: attention.weights,
      attnMask,
      attended: attention.out,
      f,
      ffnNorm: ffnLn.cache,
      hidden,
      hiddenMask,
      outMask,
    });
    x = next;
  }
  const last = layerNormForward(x, p.lastNormGamma, p.lastNormBeta, L, d, eps);
  return { items, embedMask, blocks, lastNorm: last.cache, out: last.out };
}

/** Scores of every item id for one hidden state h [d] → [N + 1] (index 0 = padding, left 0). */
export function scoreAll(config: SasrecConfig, p: ModelViews, h: Float32Array): Float32Array {
  const d = config.hiddenUnits;
  const scores = new Float32Array(config.itemCount + 1); // [N + 1]
  for (let j = 1; j <= config.itemCount; j++) {
    let dot = 0;
    for (let c = 0; c < d; c++) dot += h[c] * p.itemEmb[j * d + c];
    scores[j] = dot;
  }
  return scores;
}

/**
 * Cross-entropy of `targets` (one next item per position) under the full softmax over items 1..N,
 * each position weighted by `weight` (1 / positions in the batch for a batch mean). Accumulates the
 * item table's gradient into `grads.itemEmb` and returns the summed loss and dLoss/dh [L, d].
 */
export function softmaxCrossEntropy(
  config: SasrecConfig,
  p: ModelViews,
  grads: ModelViews,
  h: Float32Array, // [L, d]
  targets: Int32Array, // [L]
  weight: number,
): { loss: number; dh: Float64Array } {
  const d = config.hiddenUnits;
  const n = config.itemCount;
  const E = p.itemEmb; // [N + 1, d]
  const dE = grads.itemEmb; // [N + 1, d]
  const dh = new Float64Array(targets.length * d); // [L, d]
  const logits = new Float64Array(n + 1); // [N + 1] scratch
  let loss = 0;
  for (let i = 0; i < targets.length; i++) {
    const hi = i * d;
    let max = -Infinity;
    for (let j = 1; j <= n; j++) {
      let dot = 0;
      for (let c = 0; c < d; c++) dot += h[hi + c] * E[j * d + c];
      logits[j] = dot;
      if (dot > max) max = dot;
    }
    const target = targets[i];
    const targetLogit = logits[target];
    let total = 0;
    for (let j = 1; j <= n; j++) total += logits[j] = Math.exp(logits[j] - max);
    loss += (Math.log(total) + max - targetLogit) * weight;
    for (let j = 1; j <= n; j++) {
      const g = (logits[j] / total - (j === target ? 1 : 0)) * weight;
      for (let c = 0; c < d; c++) {
        dh[hi + c] += g * E[j * d + c];
        dE[j * d + c] += g * h[hi + c];
      }
    }
  }
  return { loss, dh };
}

/** Backward of `forwardSequence` from dLoss/dh [L, d]; accumulates every parameter's gradient. */
export function backwardSequence(
  config: SasrecConfig,
  p: ModelViews,
  grads: ModelViews,
  run: SequenceForward,
  dh: Float64Array, // [L, d]
): void {
  const d = config.hiddenUnits;
  const L = run.items.length;
  let dx = layerNormBackward(
    dh,
    run.lastNorm,
    p.lastNormGamma,
    grads.lastNormGamma,
    grads.lastNormBeta,
    L,
    d,
  );
  for (let b = p.blocks.length - 1; b >= 0; b--) {
    dx = backwardBlock(config, p.blocks[b], grads.blocks[b], run.blocks[b], dx, L);
  }
  applyMask(dx, run.embedMask);
  const scale = Math.sqrt(d);
  for (let i = 0; i < L; i++) {
    const row = run.items[i] * d;
    for (let c = 0; c < d; c++) {
      grads.itemEmb[row + c] += dx[i * d + c] * scale;
      grads.posEmb[i * d + c] += dx[i * d + c];
    }
  }
}

/** One block's backward: dLoss/d(block output) → dLoss/d(block input). */
function backwardBlock(
  config: SasrecConfig,
  w: BlockViews,
  g: BlockViews,
  c: BlockCache,
  dOut: Float64Array, // [L, d]
  L: number,
): Float64Array {
  const d = config.hiddenUnits;
  // next = f + drop(fc2(hidden)), hidden = drop(relu(fc1(f)))
  const dFc2 = Float64Array.from(dOut); // [L, d]
  applyMask(dFc2, c.outMask);
  const dHidden = linearBackward(dFc2, c.hidden, w.fc2W, g.fc2W, g.fc2B, L, d, d); // [L, d]
  applyMask(dHidden, c.hiddenMask);
  for (let i = 0; i < dHidden.length; i++) if (c.hidden[i] <= 0) dHidden[i] = 0;
  const df = linearBackward(dHidden, c.f, w.fc1W, g.fc1W, g.fc1B, L, d, d); // [L, d]
  for (let i = 0; i < df.length; i++) df[i] += dOut[i];
  // f = LN_f(y), y = q + Wo·attended
  const dy = layerNormBackward(df, c.ffnNorm, w.ffnNormGamma, g.ffnNormGamma, g.ffnNormBeta, L, d); // [L, d]
  const dAttended = linearBackward(dy, c.attended, w.wo, g.wo, g.bo, L, d, d); // [L, d]
  const shape = { rows: L, d, heads: config.heads };
  const { dq, dk, dv } = causalAttentionBackward(
    dAttended,
    c.queries,
    c.keys,
    c.values,
    c.weights,
    shape,
    c.attnMask,
  );
  const dqIn = linearBackward(dq, c.q, w.wq, g.wq, g.bq, L, d, d); // [L, d]
  for (let i = 0; i < dqIn.length; i++) dqIn[i] += dy[i];
  const dx = linearBackward(dk, c.x, w.wk, g.wk, g.bk, L, d, d); // [L, d]
  const dxFromV = linearBackward(dv, c.x, w.wv, g.wv, g.bv, L, d, d); // [L, d]
  const dxFromQ = layerNormBackward(dqIn, c.attnNorm, w.attnNormGamma, g.attnNormGamma, g.attnNormBeta, L, d); // [L, d]
  for (let i = 0; i < dx.length; i++) dx[i] += dxFromV[i] + dxFromQ[i];
  return dx;
}
