/**
 * The one internal weights layout every loader produces: host f32 arrays, row-major, Linear
 * weights as [out, in] (y = x · Wᵀ), RoPE pairs adjacent (llama2.c / GGUF layout).
 */
import { kvDim, type LlamaConfig } from './config.ts';

/** A weight array does not have the length its config implies. */
export class LlamaWeightsError extends Error {
  override readonly name = 'LlamaWeightsError';
}

/** One transformer block. */
export interface LlamaLayerWeights {
  attnNorm: Float32Array; // [dim]
  wq: Float32Array; // [dim, dim]
  wk: Float32Array; // [kvDim, dim]
  wv: Float32Array; // [kvDim, dim]
  wo: Float32Array; // [dim, dim]
  ffnNorm: Float32Array; // [dim]
  w1: Float32Array; // [hiddenDim, dim] (gate)
  w2: Float32Array; // [dim, hiddenDim] (down)
  w3: Float32Array; // [hiddenDim, dim] (up)
}

/** A whole model. */
export interface LlamaWeights {
  config: LlamaConfig;
  tokenEmbedding: Float32Array; // [vocabSize, dim]
  layers: LlamaLayerWeights[]; // [layers]
  finalNorm: Float32Array; // [dim]
  /** separate output head [vocabSize, dim]; null when tied to tokenEmbedding */
  classifier: Float32Array | null;
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

function expectLength(what: string, data: Float32Array, shape: readonly number[]): void {
  const want = shape.reduce((a, b) => a * b, 1);
  if (data.length !== want) {
    throw new LlamaWeightsError(
      `${what} has ${data.length} values; expected [${shape.join(', ')}] = ${want}`,
    );
  }
}

/** Checks every array against the config; returns the weights unchanged. */
export function checkLlamaWeights(w: LlamaWeights): LlamaWeights {
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
  return w;
}
