import { describe, expect, it } from 'vitest';
import type { LlamaConfig } from '../../src/llm/config.ts';
import { loadGgufLlama } from '../../src/llm/load/gguf-llama.ts';
import { dequantizeMatrix, type QuantizedMatrix } from '../../src/gpu/reference/matvec_q.ts';
import { parameterCount, randomQ4Gguf } from '../../src/llm/random-model.ts';
import { TokenKind, type Vocabulary } from '../../src/llm/load/tokenizer-files.ts';
import { TINY_CONFIG } from './tiny-llama.ts';

/** dim 64 / hidden 96 (whole Q4_0 blocks), 4 heads over 2 kv heads, 2 layers, vocab 8, tied. */
const CONFIG: LlamaConfig = {
  ...TINY_CONFIG,
  dim: 64,
  hiddenDim: 96,
  heads: 4,
  kvHeads: 2,
  vocabSize: 8,
  contextLength: 32,
};

describe('random Q4_0 GGUF', () => {
  it('counts parameters by hand: 8·64 + 64 + 2·(64 + 64·64 + 2·32·64 + 64·64 + 64 + 3·96·64)', () => {
    expect(parameterCount(CONFIG)).toBe(8 * 64 + 64 + 2 * (64 + 4096 + 2 * 2048 + 4096 + 64 + 3 * 6144));
  });

  it('loads with our reader: Q4_0 matrices with |values| ≤ 8 · 0.007, norms near 1, embedded vocabulary', () => {
    const vocabulary: Vocabulary = {
      pieces: ['<unk>', '<s>', '</s>', ' a', ' b', ' c', ' d', ' e'],
      scores: new Float32Array(8),
      kinds: Uint8Array.from([2, 3, 3, 1, 1, 1, 1, 1].map((k) => (k === 1 ? TokenKind.normal : k))),
      bos: 1,
      eos: 2,
      unk: 0,
    };
    const loaded = loadGgufLlama(randomQ4Gguf(CONFIG, vocabulary, 3), { keepQuantized: true });
    const wq = loaded.weights.layers[1].wq as QuantizedMatrix;
    expect([wq.type, wq.rows, wq.cols]).toEqual(['Q4_0', 64, 64]);
    const values = dequantizeMatrix(wq); // [64, 64]
    expect(Math.max(...values.map(Math.abs))).toBeLessThanOrEqual(8 * 0.007);
    expect(new Set(values).size).toBeGreaterThan(100);
    expect(loaded.weights.finalNorm.every((v) => v >= 0.9 && v < 1.1)).toBe(true);
    expect(loaded.vocabulary?.pieces).toEqual(vocabulary.pieces);
    expect(loaded.weights.classifier).toBeNull();
  });
});
