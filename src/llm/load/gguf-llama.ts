/**
 * GGUF (architecture "llama") → LlamaConfig + LlamaWeights + vocabulary.
 *
 * RoPE layout: llama.cpp's "llama" architecture uses rope type NORM, which rotates adjacent pairs
 * (2j, 2j+1) inside each head — the same layout as Meta's original checkpoints and llama2.c. Its
 * Hugging Face converter permutes the rows of Wq / Wk from HF's "rotate half" layout back into this
 * pair layout when it writes GGUF. So GGUF "llama" tensors need no un-permuting for our rope op;
 * stories260K.gguf's tensors are byte-identical to stories260K.bin, which confirms it (the test
 * compares both loads). Architecture "qwen2" (Qwen2 / Qwen2.5) is the same block with q/k/v biases
 * (`blk.{i}.attn_{q,k,v}.bias`) and rope type NEOX (pairs (j, j + headDim/2)); it loads with
 * `config.neoxRope` set and the biases in `weights.attentionBiases`; a "llama" file may hold the
 * same biases (llama.cpp loads them as optional tensors) and they are applied too. Other
 * architectures, and any tensor outside this layout, are refused by name.
 */
import { kvDim, validateLlamaConfig, type LlamaConfig } from '../config.ts';
import {
  checkLlamaWeights,
  type AttentionBiases,
  layerShapes,
  type LlamaLayerWeights,
  type LlamaWeights,
  type WeightMatrix,
} from '../weights.ts';
import { typeBytes } from './gguf-types.ts';
import { GgufFormatError, UnsupportedArchitectureError } from './errors.ts';
import { parseGguf, readGgufTensor, type GgufFile, type GgufValue } from './gguf.ts';
import { ggmlTypeName } from './gguf-types.ts';
import type { BpeVocabulary } from '../bpe-tokenizer.ts';
import { bpeVocabularyFromGguf } from './gguf-bpe-vocabulary.ts';
import { vocabularyFromGguf, type Vocabulary } from './tokenizer-files.ts';
import { ropeFactorsEntry, unsupportedScaling } from '../rope-scaling.ts';

/** A model loaded from one file: config, weights and (when embedded) the vocabulary. */
export interface LoadedLlama<M extends WeightMatrix = Float32Array> {
  weights: LlamaWeights<M>;
  vocabulary: Vocabulary | null;
  /** the byte-level BPE vocabulary (GGUF tokenizer.ggml.model "gpt2"), when the file has one */
  bpeVocabulary?: BpeVocabulary;
  /** what was read, e.g. "GGUF v3 (llama, F32)" */
  description: string;
}

/** GGUF tensor name of each layer field (`blk.{i}.<name>.weight`). */
export const LAYER_TENSORS: Record<keyof LlamaLayerWeights, string> = {
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

/** A metadata number (u64 values converted); `fallback` when absent, else GgufFormatError. */
export function metaNumber(file: GgufFile, key: string, fallback?: number): number {
  const value: GgufValue | undefined = file.metadata.get(key);
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint' && value <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(value);
  throw new GgufFormatError(`GGUF metadata "${key}" is ${value === undefined ? 'missing' : 'not a number'}`);
}

/** GGUF architectures this loader reads: the LLaMA block, and qwen2 (biases + NEOX rope). */
export const GGUF_ARCHITECTURES = ['llama', 'qwen2'] as const;

/** The file's `general.architecture`, if we run it; UnsupportedArchitectureError otherwise. */
function ggufArchitecture(file: GgufFile): (typeof GGUF_ARCHITECTURES)[number] {
  const arch = file.metadata.get('general.architecture');
  const known = GGUF_ARCHITECTURES.find((a) => a === arch);
  if (!known) {
    throw new UnsupportedArchitectureError(
      `GGUF architecture is "${String(arch)}"; this runtime runs ${GGUF_ARCHITECTURES.join(' / ')} models (LLaMA, TinyLlama, SmolLM2, Qwen2)`,
    );
  }
  return known;
}

/**
 * Scaled RoPE of a GGUF file: the `rope_freqs.weight` tensor (per-pair divisors, as llama.cpp's
 * converter writes them for Llama 3.1 / 3.2), else `<arch>.rope.scaling.type` "linear" (every pair
 * divided by `<arch>.rope.scaling.factor`); "none" or absent: unscaled; other types are refused.
 */
function ggufRopeFactors(
  file: GgufFile,
  bytes: Uint8Array,
  arch: string,
  headSize: number,
): Float32Array | undefined {
  if (file.tensors.has('rope_freqs.weight')) return tensor(file, bytes, 'rope_freqs.weight', [headSize / 2]);
  const type = file.metadata.get(`${arch}.rope.scaling.type`);
  if (type === undefined || type === 'none') return undefined;
  if (type !== 'linear') throw unsupportedScaling(String(type), `GGUF ${arch}.rope.scaling.type`);
  return new Float32Array(headSize / 2).fill(metaNumber(file, `${arch}.rope.scaling.factor`));
}

function configFromGguf(file: GgufFile, bytes: Uint8Array): LlamaConfig {
  const arch = ggufArchitecture(file);
  const embedding = file.tensors.get('token_embd.weight');
  if (!embedding || embedding.shape.length !== 2) {
    throw new GgufFormatError('GGUF file has no 2-D "token_embd.weight" tensor');
  }
  const heads = metaNumber(file, `${arch}.attention.head_count`);
  return validateLlamaConfig(
    {
      dim: metaNumber(file, `${arch}.embedding_length`),
      hiddenDim: metaNumber(file, `${arch}.feed_forward_length`),
      layers: metaNumber(file, `${arch}.block_count`),
      heads,
      kvHeads: metaNumber(file, `${arch}.attention.head_count_kv`, heads),
      vocabSize: embedding.shape[0],
      contextLength: metaNumber(file, `${arch}.context_length`),
      ropeTheta: metaNumber(file, `${arch}.rope.freq_base`, 10000),
      normEps: metaNumber(file, `${arch}.attention.layer_norm_rms_epsilon`, 1e-5),
      sharedClassifier: !file.tensors.has('output.weight'),
      ...(arch === 'qwen2' ? { neoxRope: true } : {}),
      ...ropeFactorsEntry(
        ggufRopeFactors(file, bytes, arch, metaNumber(file, `${arch}.embedding_length`) / heads),
      ),
    },
    'GGUF',
  );
}

/** Decodes a tensor and checks its shape against what the config implies. */
function tensor(file: GgufFile, bytes: Uint8Array, name: string, shape: readonly number[]): Float32Array {
  const info = file.tensors.get(name);
  if (!info)
    throw new GgufFormatError(`GGUF file has no tensor "${name}" (expected shape [${shape.join(', ')}])`);
  const same = info.shape.length === shape.length && info.shape.every((d, i) => d === shape[i]);
  if (!same) {
    throw new GgufFormatError(
      `tensor "${name}" has shape [${info.shape.join(', ')}]; expected [${shape.join(', ')}]`,
    );
  }
  return readGgufTensor(file, bytes, name);
}

/** A 2-D tensor: its Q8_0 / Q4_0 blocks (a view of `bytes`) when kept quantized, else f32. */
function matrixTensor(
  file: GgufFile,
  bytes: Uint8Array,
  name: string,
  shape: [number, number],
  keep: boolean,
): WeightMatrix {
  const info = file.tensors.get(name);
  const type = info ? ggmlTypeName(info.typeId) : '';
  if (!keep || !info || (type !== 'Q8_0' && type !== 'Q4_0')) return tensor(file, bytes, name, shape);
  const size = typeBytes(type, info.count, name);
  if (info.shape.length !== 2 || info.shape[0] !== shape[0] || info.shape[1] !== shape[1])
    return tensor(file, bytes, name, shape);
  if (info.offset + size > bytes.byteLength) return tensor(file, bytes, name, shape); // names the truncation
  return { type, rows: shape[0], cols: shape[1], bytes: bytes.subarray(info.offset, info.offset + size) };
}

/** `blk.{i}.attn_{q,k,v}.bias` of every layer (qwen2; optional in llama). */
function attentionBiases(file: GgufFile, bytes: Uint8Array, c: LlamaConfig): AttentionBiases[] {
  return Array.from({ length: c.layers }, (_, i) => ({
    q: tensor(file, bytes, `blk.${i}.attn_q.bias`, [c.dim]), // [dim]
    k: tensor(file, bytes, `blk.${i}.attn_k.bias`, [kvDim(c)]), // [kvDim]
    v: tensor(file, bytes, `blk.${i}.attn_v.bias`, [kvDim(c)]), // [kvDim]
  }));
}

/**
 * Every tensor name a file of `config` may hold; anything else (e.g. an output bias, q/k norms of
 * another family) means a layout this runtime would silently compute wrong, so it is refused.
 */
function knownTensorNames(c: LlamaConfig): Set<string> {
  const names = ['token_embd.weight', 'output_norm.weight', 'output.weight', 'rope_freqs.weight'];
  for (let i = 0; i < c.layers; i++) {
    for (const t of Object.values(LAYER_TENSORS)) names.push(`blk.${i}.${t}.weight`);
    for (const t of ['q', 'k', 'v']) names.push(`blk.${i}.attn_${t}.bias`);
  }
  return new Set(names);
}

/** UnsupportedArchitectureError naming the first tensor outside the LLaMA / qwen2 layout. */
function refuseUnknownTensors(file: GgufFile, c: LlamaConfig): void {
  const known = knownTensorNames(c);
  const unknown = [...file.tensors.keys()].filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new UnsupportedArchitectureError(
      `GGUF tensor "${unknown[0]}"${unknown.length > 1 ? ` (and ${unknown.length - 1} more)` : ''} is not part of the ${GGUF_ARCHITECTURES.join(' / ')} layout this runtime runs; the model would compute something else, so it is refused`,
    );
  }
}

/** Options of `loadGgufLlama`. */
export interface GgufLoadOptions {
  /** keep Q8_0 / Q4_0 matrices as blocks (LlamaForward runs them quantized) instead of f32 */
  keepQuantized?: boolean;
}

/** Loads a whole GGUF "llama" model held in memory (matrices dequantised to f32). */
export function loadGgufLlama(bytes: Uint8Array): LoadedLlama;
/** Loads a whole GGUF "llama" model, keeping Q8_0 / Q4_0 matrices quantized when asked. */
export function loadGgufLlama(bytes: Uint8Array, options: GgufLoadOptions): LoadedLlama<WeightMatrix>;
export function loadGgufLlama(bytes: Uint8Array, options: GgufLoadOptions = {}): LoadedLlama<WeightMatrix> {
  const keep = options.keepQuantized ?? false;
  const file = parseGguf(bytes);
  const config = configFromGguf(file, bytes);
  refuseUnknownTensors(file, config);
  // qwen2 always has q/k/v biases; llama.cpp's "llama" loads them when present (optional tensors)
  const biased = config.neoxRope === true || file.tensors.has('blk.0.attn_q.bias');
  const shapes = layerShapes(config);
  const layers = Array.from({ length: config.layers }, (_, i) => {
    const layer = {} as LlamaLayerWeights<WeightMatrix>;
    for (const key of Object.keys(LAYER_TENSORS) as (keyof LlamaLayerWeights)[]) {
      const name = `blk.${i}.${LAYER_TENSORS[key]}.weight`;
      const shape = shapes[key];
      if (key === 'attnNorm' || key === 'ffnNorm') layer[key] = tensor(file, bytes, name, shape);
      else layer[key] = matrixTensor(file, bytes, name, shape as [number, number], keep);
    }
    return layer;
  });
  const matrix: [number, number] = [config.vocabSize, config.dim];
  const weights = checkLlamaWeights<WeightMatrix>({
    config,
    tokenEmbedding: matrixTensor(file, bytes, 'token_embd.weight', matrix, keep),
    layers,
    finalNorm: tensor(file, bytes, 'output_norm.weight', [config.dim]),
    classifier: config.sharedClassifier ? null : matrixTensor(file, bytes, 'output.weight', matrix, keep),
    ...(biased ? { attentionBiases: attentionBiases(file, bytes, config) } : {}),
  });
  const types = new Set([...file.tensors.values()].map((t) => ggmlTypeName(t.typeId)));
  const byteLevel = file.metadata.get('tokenizer.ggml.model') === 'gpt2';
  return {
    weights,
    vocabulary: byteLevel ? null : vocabularyFromGguf(file),
    ...(byteLevel ? { bpeVocabulary: bpeVocabularyFromGguf(file) } : {}),
    description: `GGUF v${file.version} (${String(file.metadata.get('general.architecture'))}, ${[...types].join('/')})`,
  };
}
