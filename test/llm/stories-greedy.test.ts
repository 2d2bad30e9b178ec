import { describe, expect, it } from 'vitest';
import { REFERENCE_GREEDY_TEXT, noStories, storiesFile } from './stories-files.ts';
import { CpuOps } from '../../src/gpu/cpu-ops.ts';
import { LlamaForward } from '../../src/llm/forward.ts';
import { generateText } from '../../src/llm/generate.ts';
import { loadGgufLlama } from '../../src/llm/load/gguf-llama.ts';
import { loadLlama2c } from '../../src/llm/load/llama2c.ts';
import { readLlama2cTokenizer } from '../../src/llm/load/tokenizer-files.ts';
import { Tokenizer } from '../../src/llm/tokenizer.ts';

// llama2.c -n 60 from BOS: 60 forward steps (positions 0..59), each printing one generated token.
const STEPS = 60;

describe.skipIf(noStories)('stories260K greedy decoding on CpuOps reproduces llama2.c', () => {
  it('from the .bin checkpoint with tok512.bin', async () => {
    const { weights } = loadLlama2c(storiesFile('stories260K.bin'));
    const tokenizer = new Tokenizer(readLlama2cTokenizer(storiesFile('tok512.bin'), 512));
    const result = await generateText(new LlamaForward(new CpuOps(), weights), tokenizer, '', {
      maxTokens: STEPS,
    });
    expect(result.text).toBe(REFERENCE_GREEDY_TEXT);
    expect(result.tokens).toHaveLength(STEPS);
    expect(result.stopReason).toBe('max-tokens');
    // the text round-trips through the tokenizer to the same ids
    expect(Array.from(tokenizer.encode(result.text, { bos: false }))).toEqual(result.tokens);
  });

  it('from the GGUF file with its embedded vocabulary', async () => {
    const { weights, vocabulary } = loadGgufLlama(storiesFile('stories260K.gguf'));
    const model = new LlamaForward(new CpuOps(), weights);
    const result = await generateText(model, new Tokenizer(vocabulary!), '', { maxTokens: STEPS });
    expect(result.text).toBe(REFERENCE_GREEDY_TEXT);
  });

  it('from the llama2.c v2 Q8_0 checkpoint (dequantised on load): same 60 tokens', async () => {
    const { weights, description } = loadLlama2c(storiesFile('stories260K-q8.bin'));
    expect(description).toBe('llama2.c v2 (Q8_0)');
    const tokenizer = new Tokenizer(readLlama2cTokenizer(storiesFile('tok512.bin'), 512));
    const model = new LlamaForward(new CpuOps(), weights, { capacity: 64 });
    const result = await generateText(model, tokenizer, '', { maxTokens: STEPS });
    expect(result.text).toBe(REFERENCE_GREEDY_TEXT);
  });

  it('prefill of a prompt gives the same logits as feeding it token by token', async () => {
    const { weights } = loadLlama2c(storiesFile('stories260K.bin'));
    const tokenizer = new Tokenizer(readLlama2cTokenizer(storiesFile('tok512.bin'), 512));
    const ids = tokenizer.encode('Once upon a time, there was a little girl');
    const ops = new CpuOps();
    const batched = new LlamaForward(ops, weights);
    const all = await ops.read(batched.forward(ids, true)); // [n, vocab]
    const stepwise = new LlamaForward(ops, weights);
    for (let i = 0; i < ids.length; i++) {
      const row = await ops.read(stepwise.forward(ids.subarray(i, i + 1))); // [1, vocab]
      const want = all.subarray(i * 512, (i + 1) * 512);
      let worst = 0;
      for (let j = 0; j < 512; j++) worst = Math.max(worst, Math.abs(row[j] - want[j]));
      expect(worst, `position ${i}`).toBeLessThan(1e-4);
    }
    expect(stepwise.position).toBe(ids.length);
  });
});
