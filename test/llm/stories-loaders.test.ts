import { beforeAll, describe, expect, it } from 'vitest';
import { noStories, storiesFile } from './stories-files.ts';
import { loadGgufLlama } from '../../src/llm/load/gguf-llama.ts';
import { loadLlama2c } from '../../src/llm/load/llama2c.ts';
import { readLlama2cTokenizer } from '../../src/llm/load/tokenizer-files.ts';
import { Tokenizer } from '../../src/llm/tokenizer.ts';
import type { LlamaWeights } from '../../src/llm/weights.ts';
import type { LoadedLlama } from '../../src/llm/load/gguf-llama.ts';

/** Largest |a − b| over every weight array of two models with the same config. */
function maxWeightDifference(a: LlamaWeights, b: LlamaWeights): number {
  const pairs: [Float32Array, Float32Array][] = [
    [a.tokenEmbedding, b.tokenEmbedding],
    [a.finalNorm, b.finalNorm],
    ...a.layers.flatMap((layer, i) =>
      (Object.keys(layer) as (keyof typeof layer)[]).map(
        (k) => [layer[k], b.layers[i][k]] as [Float32Array, Float32Array],
      ),
    ),
  ];
  let worst = 0;
  for (const [x, y] of pairs)
    for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(x[i] - y[i]));
  return worst;
}

describe.skipIf(noStories)('stories260K loaders', () => {
  let bin: LoadedLlama;
  let gguf: LoadedLlama;
  beforeAll(() => {
    bin = loadLlama2c(storiesFile('stories260K.bin'));
    gguf = loadGgufLlama(storiesFile('stories260K.gguf'));
  });

  it('reads the llama2.c header as documented (GQA 8/4, shared classifier)', () => {
    expect(bin.description).toBe('llama2.c v0 (fp32)');
    expect(bin.weights.config).toEqual({
      dim: 64,
      hiddenDim: 172,
      layers: 5,
      heads: 8,
      kvHeads: 4,
      vocabSize: 512,
      contextLength: 512,
      ropeTheta: 10000,
      normEps: 1e-5,
      sharedClassifier: true,
    });
    expect(bin.weights.classifier).toBeNull();
  });

  it('reads the same architecture from GGUF metadata, with its own output tensor', () => {
    expect(gguf.description).toBe('GGUF v3 (llama, F32)');
    const c = gguf.weights.config;
    expect([c.dim, c.hiddenDim, c.layers, c.heads, c.kvHeads, c.vocabSize]).toEqual([64, 172, 5, 8, 4, 512]);
    expect(c.contextLength).toBe(2048);
    expect(c.normEps).toBeCloseTo(1e-5, 10);
    // the GGUF stores output.weight explicitly: a copy of the embedding table
    expect(gguf.weights.classifier).toEqual(gguf.weights.tokenEmbedding);
  });

  it('GGUF tensors equal the .bin tensors bit for bit (no Q/K permutation for the llama arch)', () => {
    expect(maxWeightDifference(bin.weights, gguf.weights)).toBe(0);
  });

  it('the llama2.c v2 Q8_0 checkpoint dequantises close to fp32', () => {
    const q8 = loadLlama2c(storiesFile('stories260K-q8.bin'));
    expect(q8.description).toBe('llama2.c v2 (Q8_0)');
    expect(q8.weights.config).toEqual(bin.weights.config);
    const error = maxWeightDifference(bin.weights, q8.weights);
    expect(error).toBeGreaterThan(0);
    expect(error).toBeLessThan(0.01); // per-group int8: |w| ≤ ~1.3, step max/127
  });

  it('the GGUF vocabulary matches tok512.bin (pieces with ▁ as space, scores, byte tokens)', () => {
    const tok = readLlama2cTokenizer(storiesFile('tok512.bin'), 512);
    const embedded = gguf.vocabulary!;
    expect(embedded.pieces.slice(3)).toEqual(tok.pieces.slice(3)); // 1/2 differ only in "\n" padding
    expect(embedded.scores).toEqual(tok.scores);
    expect(embedded.kinds).toEqual(tok.kinds);
    expect([embedded.bos, embedded.eos, embedded.unk]).toEqual([1, 2, 0]);
    const text = 'Once upon a time, there was a little girl named Lily.';
    const ids = new Tokenizer(tok).encode(text);
    expect(Array.from(new Tokenizer(embedded).encode(text))).toEqual(Array.from(ids));
    expect(new Tokenizer(embedded).decode(ids)).toBe(text);
  });
});
