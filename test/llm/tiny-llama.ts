/**
 * A tiny random LLaMA (seeded) and its GGUF / llama2.c v0 serialisations, for loader tests that
 * must not depend on ../shared.
 */
import type { LlamaConfig } from '../../src/llm/config.ts';
import { seededRandom } from '../../src/eval/random.ts';
import { layerShapes, type LlamaLayerWeights, type LlamaWeights } from '../../src/llm/weights.ts';
import { hfToPairRow } from '../../src/llm/rope-order.ts';
import { f32Bytes, meta, writeGguf, type MetaValue, type TensorSpec } from './gguf-writer.ts';

/** dim 8, 2 heads of 4, 1 kv head (GQA), hidden 12, 2 layers, vocab 10. */
export const TINY_CONFIG: LlamaConfig = {
  dim: 8,
  hiddenDim: 12,
  layers: 2,
  heads: 2,
  kvHeads: 1,
  vocabSize: 10,
  contextLength: 16,
  ropeTheta: 10000,
  normEps: 1e-5,
  sharedClassifier: true,
};

/** Seeded weights in [-1, 1) for `config`. */
export function tinyLlamaWeights(seed: number, config: LlamaConfig = TINY_CONFIG): LlamaWeights {
  const random = seededRandom(seed);
  const array = (n: number) => Float32Array.from({ length: n }, () => random() * 2 - 1); // [n]
  const shapes = layerShapes(config);
  const layers = Array.from({ length: config.layers }, () => {
    const layer = {} as LlamaLayerWeights;
    for (const key of Object.keys(shapes) as (keyof LlamaLayerWeights)[]) {
      layer[key] = array(shapes[key].reduce((a, b) => a * b, 1));
    }
    return layer;
  });
  const matrix = config.vocabSize * config.dim;
  return {
    config,
    tokenEmbedding: array(matrix),
    layers,
    finalNorm: array(config.dim),
    classifier: config.sharedClassifier ? null : array(matrix),
  };
}

const GGUF_NAMES: Record<keyof LlamaLayerWeights, string> = {
  attnNorm: 'attn_norm',
  wq: 'attn_q',
  wk: 'attn_k',
  wv: 'attn_v',
  wo: 'attn_output',
  ffnNorm: 'ffn_norm',
  w1: 'ffn_gate',
  w2: 'ffn_down',
  w3: 'ffn_up',
};

/** F32 GGUF tensors of `w` (llama names). */
export function ggufTensors(w: LlamaWeights): TensorSpec[] {
  const c = w.config;
  const shapes = layerShapes(c);
  const tensors: TensorSpec[] = [
    { name: 'token_embd.weight', shape: [c.vocabSize, c.dim], typeId: 0, data: f32Bytes(w.tokenEmbedding) },
    { name: 'output_norm.weight', shape: [c.dim], typeId: 0, data: f32Bytes(w.finalNorm) },
  ];
  if (w.classifier)
    tensors.push({
      name: 'output.weight',
      shape: [c.vocabSize, c.dim],
      typeId: 0,
      data: f32Bytes(w.classifier),
    });
  w.layers.forEach((layer, i) => {
    for (const key of Object.keys(GGUF_NAMES) as (keyof LlamaLayerWeights)[]) {
      tensors.push({
        name: `blk.${i}.${GGUF_NAMES[key]}.weight`,
        shape: shapes[key],
        typeId: 0,
        data: f32Bytes(layer[key]),
      });
    }
  });
  return tensors;
}

/** llama metadata of `c` (plus `extra`, which overrides by key). */
export function llamaMetadata(c: LlamaConfig, extra: [string, MetaValue][] = []): [string, MetaValue][] {
  const base: [string, MetaValue][] = [
    ['general.architecture', meta.str('llama')],
    ['llama.embedding_length', meta.u32(c.dim)],
    ['llama.feed_forward_length', meta.u32(c.hiddenDim)],
    ['llama.block_count', meta.u32(c.layers)],
    ['llama.attention.head_count', meta.u32(c.heads)],
    ['llama.attention.head_count_kv', meta.u32(c.kvHeads)],
    ['llama.context_length', meta.u32(c.contextLength)],
    ['llama.rope.freq_base', meta.f32(c.ropeTheta)],
    ['llama.attention.layer_norm_rms_epsilon', meta.f32(c.normEps)],
  ];
  const overridden = new Set(extra.map(([k]) => k));
  return [...base.filter(([k]) => !overridden.has(k)), ...extra];
}

/** A complete F32 GGUF of `w`. */
export function tinyLlamaGguf(w: LlamaWeights, extra: [string, MetaValue][] = []): Uint8Array {
  return writeGguf(llamaMetadata(w.config, extra), ggufTensors(w));
}

/** A llama2.c v0 checkpoint of `w` (negative vocab size when the classifier is separate). */
export function tinyLlama2c(w: LlamaWeights): Uint8Array {
  const c = w.config;
  const header = Int32Array.of(
    c.dim,
    c.hiddenDim,
    c.layers,
    c.heads,
    c.kvHeads,
    c.sharedClassifier ? c.vocabSize : -c.vocabSize,
    c.contextLength,
  );
  const perLayer = (key: keyof LlamaLayerWeights) => w.layers.map((l) => l[key]);
  const ropeTables = new Float32Array(c.contextLength * (c.dim / c.heads)); // 2 × [seq, head/2]
  const parts: ArrayLike<number>[] = [
    w.tokenEmbedding,
    ...perLayer('attnNorm'),
    ...perLayer('wq'),
    ...perLayer('wk'),
    ...perLayer('wv'),
    ...perLayer('wo'),
    ...perLayer('ffnNorm'),
    ...perLayer('w1'),
    ...perLayer('w2'),
    ...perLayer('w3'),
    w.finalNorm,
    ropeTables,
    ...(w.classifier ? [w.classifier] : []),
  ];
  const floats = Float32Array.from(parts.flatMap((p) => Array.from(p)));
  const out = new Uint8Array(28 + floats.byteLength);
  out.set(new Uint8Array(header.buffer), 0);
  out.set(new Uint8Array(floats.buffer), 28);
  return out;
}

/** Inverse of hfToPairRow: pair-order Wq/Wk rows [rows, cols] re-ordered to rotate-half order. */
export function pairRowsToHalves(matrix: Float32Array, cols: number, headSize: number): Float32Array {
  const out = new Float32Array(matrix.length); // [rows, cols]
  for (let row = 0; row < matrix.length / cols; row++) {
    out.set(matrix.subarray(row * cols, (row + 1) * cols), hfToPairRow(row, headSize) * cols);
  }
  return out;
}
