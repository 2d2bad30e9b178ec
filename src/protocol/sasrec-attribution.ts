/**
 * "Because you watched …" for one recommended item, from SASRec's own attention.
 *
 * SASRec's last block gives the final history position's attention weights a_j over the window.
 * For a recommended item i, each history item h_j gets a_j · max(0, cos(e_i, e_{h_j})) (e = the
 * model's item embeddings): positions the model attended to AND that resemble the item in the
 * model's own space. Weights are normalised to sum to 1 over the window; when no attended item
 * resembles i at all, the plain attention weights are used. This is an attention-based heuristic,
 * not a causal attribution: the UI labels it so.
 */
import type { AttributionEntry } from './messages-sasrec.ts';

import type { SasrecWeights } from '../sasrec/weights.ts';

/** Cosine similarity of rows `a` and `b` of `table` [rows, d]; 0 when either row is all zeros. */
export function rowCosine(table: Float32Array, d: number, a: number, b: number): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let k = 0; k < d; k++) {
    const x = table[a * d + k];
    const y = table[b * d + k];
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

/** Inputs of `attributeItem`. */
export interface AttributionInput {
  itemEmb: Float32Array; // [N + 1, d]
  d: number;
  window: Int32Array; // [w] item ids of the attention window, oldest first
  attention: Float32Array; // [w] last position's attention weights over the window
  /** history index of window[0] (history length − window length) */
  windowStart: number;
}

/** The attribution inputs for a history of `historyLength` items whose last `window.length` the model attended. */
export function attributionInput(
  weights: Pick<SasrecWeights, 'itemEmb' | 'config'>,
  window: Int32Array, // [w]
  attention: Float32Array, // [w]
  historyLength: number,
): AttributionInput {
  return {
    itemEmb: weights.itemEmb,
    d: weights.config.hiddenUnits,
    window,
    attention,
    windowStart: historyLength - window.length,
  };
}

/** Top `top` history items explaining `itemId`, strongest first; ties → the more recent item. */
export function attributeItem(input: AttributionInput, itemId: number, top: number): AttributionEntry[] {
  const { itemEmb, d, window, attention, windowStart } = input;
  const raw = Float32Array.from(
    window,
    (h, j) => attention[j] * Math.max(0, rowCosine(itemEmb, d, itemId, h)),
  ); // [w]
  let total = raw.reduce((s, v) => s + v, 0);
  const weights = total > 0 ? raw : attention; // [w]
  if (total <= 0) total = attention.reduce((s, v) => s + v, 0);
  if (total <= 0) return [];
  const order = [...window.keys()].sort((x, y) => weights[y] - weights[x] || y - x);
  return order
    .slice(0, Math.max(0, top))
    .filter((j) => weights[j] > 0)
    .map((j) => ({ itemId: window[j], index: windowStart + j, weight: weights[j] / total }));
}
