import { describe, expect, it } from 'vitest';
import { adapterName, gpuOps, noGpu } from '../support.ts';
import { CpuOps } from '../../../src/gpu/cpu-ops.ts';
import { LlamaForward } from '../../../src/llm/forward.ts';
import { generateText } from '../../../src/llm/generate.ts';
import { readLlama2cTokenizer } from '../../../src/llm/load/tokenizer-files.ts';
import { Tokenizer } from '../../../src/llm/tokenizer.ts';
import { REFERENCE_GREEDY_TEXT, noStories, storiesFile } from '../../llm/stories-files.ts';
import { NLL_TEXT, meanNll, quantizedStories } from '../../llm/quant-stories.ts';

describe.skipIf(noGpu || noStories)(`stories260K quantised on WebGPU (${adapterName})`, () => {
  const tokenizer = () => new Tokenizer(readLlama2cTokenizer(storiesFile('tok512.bin'), 512));

  it('Q8_0 kept quantized on the GPU: greedy from BOS reproduces llama2.c for 60 tokens', async () => {
    const model = new LlamaForward(gpuOps, quantizedStories('q8_0'), { capacity: 128 });
    const result = await generateText(model, tokenizer(), '', { maxTokens: 60 });
    model.dispose();
    expect(result.text).toBe(REFERENCE_GREEDY_TEXT);
  });

  it('Q4_0 and Q8_0: NLL of the fixed text equals the CPU figure (same quantized weights)', async () => {
    const ids = tokenizer().encode(NLL_TEXT);
    for (const scheme of ['q8_0', 'q4_0'] as const) {
      const weights = quantizedStories(scheme);
      const [gpu, cpu] = [await meanNll(gpuOps, weights, ids), await meanNll(new CpuOps(), weights, ids)];
      expect(Math.abs(gpu - cpu), scheme).toBeLessThan(1e-4);
    }
  });
});
