import { describe, expect, it } from 'vitest';
import { CpuOps } from '../../src/gpu/cpu-ops.ts';
import type { QuantizedMatrix } from '../../src/gpu/reference/matvec_q.ts';
import { loadOwnLanguageModel } from '../../src/llm/backends/own.ts';
import { generateAll } from '../../src/llm/language-model.ts';
import type { LlamaConfig } from '../../src/llm/config.ts';
import { quantizeModelFile } from '../../src/llm/quantize-model.ts';
import { meta } from './gguf-writer.ts';
import { tinyLlamaGguf, tinyLlamaWeights } from './tiny-llama.ts';

/** dim 32 / hidden 64: whole Q8_0 blocks. */
const CONFIG: LlamaConfig = {
  dim: 32,
  hiddenDim: 64,
  layers: 1,
  heads: 2,
  kvHeads: 1,
  vocabSize: 6,
  contextLength: 16,
  ropeTheta: 10000,
  normEps: 1e-5,
  sharedClassifier: true,
};

/** CpuOps that records which matrices arrive as quantized blocks. */
class CountingOps extends CpuOps {
  readonly quantized: string[] = [];
  override uploadQuantized(q: QuantizedMatrix, label?: string) {
    this.quantized.push(`${label}:${q.type}`);
    return super.uploadQuantized(q, label);
  }
}

describe('loadOwnLanguageModel keeps GGUF Q8_0 / Q4_0 weights quantized for the backend', () => {
  it('uploads the Q8_0 matrices through uploadQuantized and still generates', async () => {
    const vocabulary: [string, ReturnType<typeof meta.str>][] = [
      ['tokenizer.ggml.model', meta.str('llama')],
      ['tokenizer.ggml.tokens', meta.strings(['<unk>', '<s>', '</s>', ' a', ' b', ' c'])],
      ['tokenizer.ggml.scores', meta.f32s([0, 0, 0, -1, -2, -3])],
    ];
    const input = tinyLlamaGguf(tinyLlamaWeights(3, CONFIG), vocabulary);
    const { bytes } = quantizeModelFile(input, { scheme: 'q8_0' });
    const ops = new CountingOps();
    const model = await loadOwnLanguageModel({ model: bytes }, { ops });
    expect(ops.quantized).toContain('blk.0.wq:Q8_0');
    expect(ops.quantized.filter((l) => l.startsWith('blk.0.')).length).toBe(7); // q k v o gate down up
    const result = await generateAll(model, ' a', { maxTokens: 3 });
    expect(result.tokenCount).toBeGreaterThan(0);
    await model.dispose();
  });
});
