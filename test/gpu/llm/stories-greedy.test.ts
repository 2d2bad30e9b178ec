import { describe, expect, it } from 'vitest';
import { adapterName, gpuOps, noGpu } from '../support.ts';
import { REFERENCE_GREEDY_TEXT, noStories, storiesFile } from '../../llm/stories-files.ts';
import { CpuOps } from '../../../src/gpu/cpu-ops.ts';
import { LlamaForward } from '../../../src/llm/forward.ts';
import { generateText } from '../../../src/llm/generate.ts';
import { loadGgufLlama } from '../../../src/llm/load/gguf-llama.ts';
import { loadLlama2c } from '../../../src/llm/load/llama2c.ts';
import { readLlama2cTokenizer } from '../../../src/llm/load/tokenizer-files.ts';
import { Tokenizer } from '../../../src/llm/tokenizer.ts';

describe.skipIf(noGpu || noStories)(`stories260K on WebGPU (${adapterName})`, () => {
  it('greedy from BOS (.bin) reproduces llama2.c for 60 steps', async () => {
    const { weights } = loadLlama2c(storiesFile('stories260K.bin'));
    const tokenizer = new Tokenizer(readLlama2cTokenizer(storiesFile('tok512.bin'), 512));
    const model = new LlamaForward(gpuOps, weights, { capacity: 256 });
    const result = await generateText(model, tokenizer, '', { maxTokens: 60 });
    model.dispose();
    expect(result.text).toBe(REFERENCE_GREEDY_TEXT);
  });

  it('greedy from BOS (.gguf, embedded vocabulary) reproduces llama2.c', async () => {
    const { weights, vocabulary } = loadGgufLlama(storiesFile('stories260K.gguf'));
    const model = new LlamaForward(gpuOps, weights, { capacity: 128 });
    const result = await generateText(model, new Tokenizer(vocabulary!), '', { maxTokens: 60 });
    model.dispose();
    expect(result.text).toBe(REFERENCE_GREEDY_TEXT);
  });

  it('prefill logits of a prompt match CpuOps within 1e-4', async () => {
    const { weights } = loadLlama2c(storiesFile('stories260K.bin'));
    const tokenizer = new Tokenizer(readLlama2cTokenizer(storiesFile('tok512.bin'), 512));
    const ids = tokenizer.encode('Lily saw a big dog. She was scared, but the dog was kind.');
    const cpu = new CpuOps();
    const want = await cpu.read(new LlamaForward(cpu, weights, { capacity: 64 }).forward(ids, true)); // [n, vocab]
    const model = new LlamaForward(gpuOps, weights, { capacity: 64 });
    const got = await gpuOps.read(model.forward(ids, true)); // [n, vocab]
    model.dispose();
    let worst = 0;
    for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]));
    expect(worst).toBeLessThan(1e-4);
  });
});

describe.skipIf(noGpu || noStories)(`stories260K portable sampling on WebGPU (${adapterName})`, () => {
  it('temperature 0.8 / top-p 0.9 with a seed: the GPU sampler writes the same 60 tokens as the CPU', async () => {
    const { weights } = loadLlama2c(storiesFile('stories260K.bin'));
    const tokenizer = new Tokenizer(readLlama2cTokenizer(storiesFile('tok512.bin'), 512));
    const options = { maxTokens: 60, temperature: 0.8, topP: 0.9, seed: 42, portable: true };
    const cpu = await generateText(
      new LlamaForward(new CpuOps(), weights, { capacity: 128 }),
      tokenizer,
      'Lily',
      options,
    );
    const model = new LlamaForward(gpuOps, weights, { capacity: 128 });
    const gpu = await generateText(model, tokenizer, 'Lily', options);
    model.dispose();
    expect(gpu.tokens).toEqual(cpu.tokens);
    const greedy = await generateText(
      new LlamaForward(new CpuOps(), weights, { capacity: 128 }),
      tokenizer,
      'Lily',
      { maxTokens: 60 },
    );
    expect(cpu.tokens).not.toEqual(greedy.tokens); // really sampled
  });
});
