/**
 * The one internal weights layout every loader produces: host f32 arrays, row-major, Linear
 * weights as [out, in] (y = x · Wᵀ), RoPE pairs adjacent (llama2.c / GGUF layout).
 */
import { kvDim, type LlamaConfig } from './config.ts';
import { checkQuantizedMatrix, type QuantizedMatrix } from '../gpu/reference/matvec_q.ts';

/** A 2-D weight: f32 values, or Q8_0/Q4_0 blocks kept as stored (loaders' `keepQuantized`). */
export type WeightMatrix = Float32Array | QuantizedMatrix;

/** A weight array does not have the length its config implies. */
export class LlamaWeightsError extends Error {
  override readonly name = 'LlamaWeightsError';
}

/** One transformer block; `M` is the type of its matrices (f32 unless loaded quantized). */
export interface LlamaLayerWeights<M extends WeightMatrix = Float32Array> {
  attnNorm: Float32Array; // [dim]
  wq: M; // [dim, dim]
  wk: M; // [kvDim, dim]
  wv: M; // [kvDim, dim]
  wo: M; // [dim, dim]
  ffnNorm: Float32Array; // [dim]
  w1: M; // [hiddenDim, dim] (gate)
  w2: M; // [dim, hiddenDim] (down)
  w3: M; // [hiddenDim, dim] (up)
}

/** q/k/v projection biases of one layer (qwen2); LLaMA has none. */
export interface AttentionBiases {
  q: Float32Array; // [dim]
  k: Float32Array; // [kvDim]
  v: Float32Array; // [kvDim]
}

/** A whole model; `M` is the type of its matrices (f32 unless loaded quantized). */
export interface LlamaWeights<M extends WeightMatrix = Float32Array> {
  config: LlamaConfig;
  /** per-layer q/k/v biases [layers] (qwen2); absent for LLaMA */
  attentionBiases?: AttentionBiases[];
  tokenEmbedding: M; // [vocabSize, dim]
  layers: LlamaLayerWeights<M>[]; // [layers]
  finalNorm: Float32Array; // [dim]
  /** separate output head [vocabSize, dim]; null when tied to tokenEmbedding */
  classifier: M | null;
}

/** Shapes of one layer's tensors, by field. */
export function layerShapes(c: LlamaConfig): Record<keyof LlamaLayerWeights, [number] | [number, number]> {
  const kv = kvDim(c);
  return {
    attnNorm: [c.dim],
    wq: [c.dim, c.dim],
    wk: [kv, c.dim],
    wv: [kv, c.dim],
    wo: [c.dim, c.dim],
    ffnNorm: [c.dim],
    w1: [c.hiddenDim, c.dim],
    w2: [c.dim, c.hiddenDim],
    w3: [c.hiddenDim, c.dim],
  };
}

function expectLength(what: string, data: WeightMatrix, shape: readonly number[]): void {
  const want = shape.reduce((a, b) => a * b, 1);
  if (!(data instanceof Float32Array)) {
    checkQuantizedMatrix(data, what);
    if (shape.length !== 2 || data.rows !== shape[0] || data.cols !== shape[1]) {
      throw new LlamaWeightsError(
        `${what} is ${data.type} [${data.rows}, ${data.cols}]; expected [${shape.join(', ')}]`,
      );
    }
    return;
  }
  if (data.length !== want) {
    throw new LlamaWeightsError(
      `${what} has ${data.length} values; expected [${shape.join(', ')}] = ${want}`,
    );
  }
}

/** Checks every array against the config; returns the weights unchanged. */
export function checkLlamaWeights<M extends WeightMatrix>(w: LlamaWeights<M>): LlamaWeights<M> {
  const c = w.config;
  expectLength('token embedding', w.tokenEmbedding, [c.vocabSize, c.dim]);
  expectLength('final norm', w.finalNorm, [c.dim]);
  if (w.layers.length !== c.layers) {
    throw new LlamaWeightsError(`${w.layers.length} layers loaded; the config says ${c.layers}`);
  }
  if (c.sharedClassifier !== (w.classifier === null)) {
    throw new LlamaWeightsError(
      `config.sharedClassifier = ${c.sharedClassifier} but the classifier is ${w.classifier ? 'present' : 'missing'}`,
    );
  }
  if (w.classifier) expectLength('classifier', w.classifier, [c.vocabSize, c.dim]);
  const shapes = layerShapes(c);
  w.layers.forEach((layer, i) => {
    for (const key of Object.keys(shapes) as (keyof LlamaLayerWeights)[]) {
      expectLength(`layer ${i} ${key}`, layer[key], shapes[key]);
    }
  });
  if (w.attentionBiases) {
    if (w.attentionBiases.length !== c.layers) {
      throw new LlamaWeightsError(
        `${w.attentionBiases.length} layers of attention biases; expected ${c.layers}`,
      );
    }
    w.attentionBiases.forEach((b, i) => {
      expectLength(`layer ${i} q bias`, b.q, [c.dim]);
      expectLength(`layer ${i} k bias`, b.k, [kvDim(c)]);
      expectLength(`layer ${i} v bias`, b.v, [kvDim(c)]);
    });
  }
  return w;
}

/**
 * Matrices with the same columns stacked by rows (e.g. Wq, Wk, Wv → [dim + 2·kvDim, dim] for the
 * fused attention input): f32 values or blocks of one quant type; null when their kinds differ.
 */
export function stackRows(matrices: readonly WeightMatrix[]): WeightMatrix | null {
  const [first] = matrices;
  if (first instanceof Float32Array) {
    if (!matrices.every((m) => m instanceof Float32Array)) return null;
    const out = new Float32Array(matrices.reduce((sum, m) => sum + m.length, 0));
    let at = 0;
    for (const m of matrices as Float32Array[]) {
      out.set(m, at);
      at += m.length;
    }
    return out;
  }
  const quantized = matrices.filter((m): m is QuantizedMatrix => !(m instanceof Float32Array));
  if (quantized.length !== matrices.length) return null;
  if (quantized.some((m) => m.type !== first.type || m.cols !== first.cols)) return null;
  const bytes = new Uint8Array(quantized.reduce((sum, m) => sum + m.bytes.length, 0));
  let at = 0;
  for (const m of quantized) {
    bytes.set(m.bytes, at);
    at += m.bytes.length;
  }
  return { type: first.type, rows: quantized.reduce((sum, m) => sum + m.rows, 0), cols: first.cols, bytes };
}
