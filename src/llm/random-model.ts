/**
 * Random Q4_0 LLaMA GGUF files of any shape, for benchmarks and GPU tests that need a realistic
 * size without real weights: uniform nibbles with small f16 scales, norms near 1, tied classifier.
 * Written with our GGUF writer, so loading it in wllama / llama.cpp also cross-checks the writer.
 */
import { seededRandom } from '../eval/random.ts';
import type { BpeVocabulary } from './bpe-tokenizer.ts';
import { bpeGgufMetadata } from './load/gguf-bpe-vocabulary.ts';
import type { LlamaConfig } from './config.ts';
import { LAYER_TENSORS } from './load/gguf-llama.ts';
import { writeGguf, type GgufTensorToWrite } from './load/gguf-write.ts';
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

/**
 * A GGUF "llama" file: every matrix random Q4_0, norms F32 in [0.9, 1.1), tied classifier; the
 * vocabulary SentencePiece-style (Vocabulary) or byte-level BPE (BpeVocabulary, e.g. Llama 3's).
 */
export function randomQ4Gguf(
  config: LlamaConfig,
  vocabulary: Vocabulary | BpeVocabulary | null,
  seed: number,
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
  const byteLevel = vocabulary && 'merges' in vocabulary ? vocabulary : null;
  const metadata = llamaGgufMetadata(
    { ...config, sharedClassifier: true },
    byteLevel ? null : (vocabulary as Vocabulary | null),
    'Q4_0',
    'random-q4',
  );
  return writeGguf(byteLevel ? [...metadata, ...bpeGgufMetadata(byteLevel)] : metadata, tensors);
}
