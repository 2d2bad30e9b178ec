/**
 * An independent, hand-written SASRec in plain f64 loops for tests: it runs the padded window
 * exactly like the PyTorch model (models/train/sasrec_model.py) — a [maxLen] row with 0 padding,
 * key-padding + causal masks, padding rows zeroed — without TensorOps, caches or shortcuts.
 */
import type { SasrecWeights } from '../../src/sasrec/weights';

type Matrix = Float64Array[]; // [rows][cols]

function layerNorm(x: Matrix, gamma: Float32Array, beta: Float32Array, eps: number): Matrix {
  return x.map((row) => {
    const mean = row.reduce((a, b) => a + b, 0) / row.length;
    const variance = row.reduce((a, b) => a + (b - mean) ** 2, 0) / row.length;
    return row.map((v, c) => ((v - mean) / Math.sqrt(variance + eps)) * gamma[c] + beta[c]);
  });
}

/** y = x · Wᵀ + b with W [out, in] row-major. */
function linear(x: Matrix, w: Float32Array, b: Float32Array): Matrix {
  const out = b.length;
  return x.map((row) =>
    Float64Array.from({ length: out }, (_, o) =>
      row.reduce((s, v, c) => s + v * w[o * row.length + c], b[o]),
    ),
  );
}

/** The padded window row [maxLen] the PyTorch code builds (sasrec_data.window). */
export function paddedWindow(history: readonly number[], weights: SasrecWeights): number[] {
  const { maxLen, positions } = weights.config;
  const items = history.slice(-maxLen);
  const pad = new Array<number>(maxLen - items.length).fill(0);
  return positions === 'from_start' ? [...items, ...pad] : [...pad, ...items];
}

/** Direct forward: scores of every id [itemCount + 1] and the last block's attention of the last real row [maxLen]. */
export function directSasrec(
  history: readonly number[],
  weights: SasrecWeights,
): { scores: Float64Array; attention: Float64Array } {
  const { hiddenUnits: d, heads, maxLen, layerNormEps: eps, itemCount } = weights.config;
  const row = paddedWindow(history, weights);
  const valid = row.map((id) => id > 0);
  const last = weights.config.positions === 'from_start' ? Math.min(history.length, maxLen) - 1 : maxLen - 1;
  let x: Matrix = row.map((id, p) =>
    Float64Array.from({ length: d }, (_, c) =>
      valid[p] ? weights.itemEmb[id * d + c] * Math.sqrt(d) + weights.posEmb[p * d + c] : 0,
    ),
  );
  const headDim = d / heads;
  let attention = new Float64Array(maxLen); // [maxLen]
  for (const w of weights.blocks) {
    const q = layerNorm(x, w.attnNormGamma, w.attnNormBeta, eps);
    const [Q, K, V] = [linear(q, w.wq, w.bq), linear(x, w.wk, w.bk), linear(x, w.wv, w.bv)];
    const mixed: Matrix = row.map(() => new Float64Array(d));
    attention = new Float64Array(maxLen);
    for (let i = 0; i < maxLen; i++) {
      for (let h = 0; h < heads; h++) {
        const cols = Array.from({ length: headDim }, (_, c) => h * headDim + c);
        const logits = row.map((_, j) =>
          j <= i && valid[j] ? cols.reduce((s, c) => s + Q[i][c] * K[j][c], 0) / Math.sqrt(headDim) : -1e9,
        );
        const max = Math.max(...logits);
        const exp = logits.map((l) => Math.exp(l - max));
        const total = exp.reduce((a, b) => a + b, 0);
        for (let j = 0; j < maxLen; j++) {
          for (const c of cols) mixed[i][c] += (exp[j] / total) * V[j][c];
          if (i === last) attention[j] += exp[j] / total / heads;
        }
      }
    }
    const attended = linear(mixed, w.wo, w.bo).map((r, i) => r.map((v, c) => v + q[i][c]));
    const f = layerNorm(attended, w.ffnNormGamma, w.ffnNormBeta, eps);
    const hidden = linear(f, w.fc1W, w.fc1B).map((r) => r.map((v) => Math.max(0, v)));
    x = linear(hidden, w.fc2W, w.fc2B).map((r, i) => r.map((v, c) => (valid[i] ? v + f[i][c] : 0)));
  }
  const h = layerNorm([x[last]], weights.lastNormGamma, weights.lastNormBeta, eps)[0];
  const scores = Float64Array.from({ length: itemCount + 1 }, (_, id) =>
    h.reduce((s, v, c) => s + v * weights.itemEmb[id * d + c], 0),
  );
  return { scores, attention };
}

/** Best k ids of direct scores, skipping padding and (optionally) the history; ties → lower id. */
export function directTopK(
  scores: Float64Array,
  k: number,
  exclude: readonly number[],
): { ids: number[]; scores: number[] } {
  const skip = new Set([0, ...exclude]);
  const ids = [...scores.keys()]
    .filter((id) => !skip.has(id))
    .sort((a, b) => scores[b] - scores[a] || a - b)
    .slice(0, k);
  return { ids, scores: ids.map((id) => scores[id]) };
}
