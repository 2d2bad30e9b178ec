import { describe, expect, it } from 'vitest';
import { CpuOps } from '../../src/gpu/cpu-ops.ts';
import { LlamaForward } from '../../src/llm/forward.ts';
import { generateText } from '../../src/llm/generate.ts';
import { loadLlama2c } from '../../src/llm/load/llama2c.ts';
import { readLlama2cTokenizer } from '../../src/llm/load/tokenizer-files.ts';
import { Tokenizer } from '../../src/llm/tokenizer.ts';
import { REFERENCE_GREEDY_TEXT, noStories, storiesFile } from './stories-files.ts';
import { NLL_TEXT, meanNll, quantizedStories } from './quant-stories.ts';

describe.skipIf(noStories)('stories260K quantised (acceptance)', () => {
  it('per-token NLL on a fixed text: Q8_0 within 2 %, Q4_0 within 8 % of fp32', async () => {
    const tokenizer = new Tokenizer(readLlama2cTokenizer(storiesFile('tok512.bin'), 512));
    const ids = tokenizer.encode(NLL_TEXT);
    const ops = new CpuOps();
    const fp32 = await meanNll(ops, loadLlama2c(storiesFile('stories260K.bin')).weights, ids);
    const q8 = await meanNll(ops, quantizedStories('q8_0'), ids);
    const q4 = await meanNll(ops, quantizedStories('q4_0'), ids);
    const q4All = await meanNll(ops, quantizedStories('q4_0', 'scheme'), ids);
    const pct = (x: number) => `${(((x - fp32) / fp32) * 100).toFixed(2)} %`;
    console.log(
      `stories260K NLL over ${ids.length - 1} tokens: fp32 ${fp32.toFixed(4)}, Q8_0 ${q8.toFixed(4)} (${pct(q8)}), ` +
        `Q4_0 ${q4.toFixed(4)} (${pct(q4)}), Q4_0 incl. embeddings ${q4All.toFixed(4)} (${pct(q4All)})`,
    );
    expect(Math.abs(q8 - fp32) / fp32).toBeLessThan(0.02);
    expect(Math.abs(q4 - fp32) / fp32).toBeLessThan(0.08);
  });

  it('Q8_0 greedy from BOS is identical to fp32 (llama2.c) for 60 tokens, weights kept quantized', async () => {
    const tokenizer = new Tokenizer(readLlama2cTokenizer(storiesFile('tok512.bin'), 512));
    const model = new LlamaForward(new CpuOps(), quantizedStories('q8_0'), { capacity: 128 });
    const result = await generateText(model, tokenizer, '', { maxTokens: 60 });
    expect(result.text).toBe(REFERENCE_GREEDY_TEXT);
  });
});
