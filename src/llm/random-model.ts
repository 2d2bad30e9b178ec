/**
 * Random Q4_0 LLaMA GGUF files of any shape, for benchmarks and GPU tests that need a realistic
 * size without real weights: uniform nibbles with small f16 scales, norms near 1, tied classifier.
 * Written with our GGUF writer, so loading it in wllama / llama.cpp also cross-checks the writer.
 */
import { seededRandom } from '../eval/random.ts';
import type { BpeVocabulary } from './bpe-tokenizer.ts';
import { bpeGgufMetadata } from './load/gguf-bpe-vocabulary.ts';
import { kvDim, type LlamaConfig } from './config.ts';
import { LAYER_TENSORS } from './load/gguf-llama.ts';
import { writeGguf, type GgufMetaValue, type GgufTensorToWrite } from './load/gguf-write.ts';
import type { Vocabulary } from './load/tokenizer-files.ts';
import { f32ToF16 } from './quant.ts';
import { llamaGgufMetadata } from './quantize-model.ts';
import { layerShapes, type LlamaLayerWeights } from './weights.ts';

/** Random Q4_0 blocks for `count` values [count/32 · 18 bytes]: f16 scales in [0.003, 0.007). */
export function randomQ4Blocks(random: () => number, count: number): Uint8Array {
  const blocks = count / 32;
  const bytes = new Uint8Array(blocks * 18); // [blocks · 18]
  const words = new Uint32Array(4); // [4] 16 nibble bytes
  const asBytes = new Uint8Array(words.buffer);
  for (let b = 0; b < blocks; b++) {
    const scale = f32ToF16(0.003 + 0.004 * random());
    bytes[b * 18] = scale & 0xff;
    bytes[b * 18 + 1] = scale >> 8;
    for (let i = 0; i < 4; i++) words[i] = random() * 2 ** 32;
    bytes.set(asBytes, b * 18 + 2);
  }
  return bytes;
}

/** qwen2's F32 `blk.N.attn_{q,k,v}.bias` of every layer, uniform in [-0.25, 0.25). */
export function randomBiases(config: LlamaConfig, random: () => number): GgufTensorToWrite[] {
  return Array.from({ length: config.layers }, (_, i) =>
    (
      [
        ['q', config.dim],
        ['k', kvDim(config)],
        ['v', kvDim(config)],
      ] as const
    ).map(([t, n]): GgufTensorToWrite => {
      const values = Float32Array.from({ length: n }, () => random() * 0.5 - 0.25); // [n]
      return {
        name: `blk.${i}.attn_${t}.bias`,
        shape: [n],
        type: 'F32',
        bytes: new Uint8Array(values.buffer),
      };
    }),
  ).flat();
}

/** Number of parameters of `config` (tied classifier counted once). */
export function parameterCount(config: LlamaConfig): number {
  const perLayer = Object.values(layerShapes(config)).reduce(
    (sum, s) => sum + s.reduce((a, b) => a * b, 1),
    0,
  );
  return (
    config.vocabSize * config.dim * (config.sharedClassifier ? 1 : 2) + config.dim + perLayer * config.layers
  );
}

/** GGUF architectures the random writer can produce: the LLaMA block, or qwen2 (+ q/k/v biases). */
export type RandomArchitecture = 'llama' | 'qwen2';

/** `llama.*` metadata (llamaGgufMetadata) re-keyed for `arch` (`qwen2.*`, general.architecture). */
export function asArchitecture(
  metadata: readonly [string, GgufMetaValue][],
  arch: RandomArchitecture,
): [string, GgufMetaValue][] {
  return metadata.map(([key, value]): [string, GgufMetaValue] =>
    key === 'general.architecture'
      ? [key, { type: 'string', value: arch }]
      : [key.replace(/^llama\./, `${arch}.`), value],
  );
}

/**
 * A GGUF "llama" file: every matrix random Q4_0, norms F32 in [0.9, 1.1), tied classifier; the
 * vocabulary SentencePiece-style (Vocabulary) or byte-level BPE (BpeVocabulary, e.g. Llama 3's).
 * `arch` "qwen2" writes a qwen2 file instead, with F32 q/k/v biases in [-0.25, 0.25).
 */
export function randomQ4Gguf(
  config: LlamaConfig,
  vocabulary: Vocabulary | BpeVocabulary | null,
  seed: number,
  arch: RandomArchitecture = 'llama',
): Uint8Array {
  const random = seededRandom(seed);
  const norm = (name: string): GgufTensorToWrite => {
    const values = Float32Array.from({ length: config.dim }, () => 0.9 + 0.2 * random()); // [dim]
    return { name, shape: [config.dim], type: 'F32', bytes: new Uint8Array(values.buffer) };
  };
  const matrix = (name: string, shape: readonly number[]): GgufTensorToWrite => ({
    name,
    shape,
    type: 'Q4_0',
    bytes: randomQ4Blocks(random, shape[0] * shape[1]),
  });
  const shapes = layerShapes(config);
  const tensors = [matrix('token_embd.weight', [config.vocabSize, config.dim]), norm('output_norm.weight')];
  for (let i = 0; i < config.layers; i++) {
    for (const key of Object.keys(LAYER_TENSORS) as (keyof LlamaLayerWeights)[]) {
      const name = `blk.${i}.${LAYER_TENSORS[key]}.weight`;
      tensors.push(shapes[key].length === 1 ? norm(name) : matrix(name, shapes[key]));
    }
  }
  if (arch === 'qwen2') tensors.push(...randomBiases(config, random));
  const byteLevel = vocabulary && 'merges' in vocabulary ? vocabulary : null;
  const llamaMetadata = llamaGgufMetadata(
    { ...config, sharedClassifier: true },
    byteLevel ? null : (vocabulary as Vocabulary | null),
    'Q4_0',
    'random-q4',
  );
  const metadata = asArchitecture(llamaMetadata, arch);
  return writeGguf(byteLevel ? [...metadata, ...bpeGgufMetadata(byteLevel)] : metadata, tensors);
}
