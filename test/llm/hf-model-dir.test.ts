import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CpuOps } from '../../src/gpu/cpu-ops.ts';
import { LlamaForward } from '../../src/llm/forward.ts';
import { generateText } from '../../src/llm/generate.ts';
import { loadHfModelDir } from '../../models/tools/hf-model-dir.ts';
import { CONFIG_JSON, TINY_TOKENIZER, hfShards } from './tiny-hf.ts';
import { tinyLlamaWeights } from './tiny-llama.ts';

describe('Hugging Face model folder (generate CLI)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'localrec-hf-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const weights = tinyLlamaWeights(12);

  it('loads config, shards and tokenizer; generates the same tokens as the source weights', async () => {
    writeFileSync(join(dir, 'config.json'), CONFIG_JSON);
    hfShards(weights).forEach((bytes, i) =>
      writeFileSync(join(dir, `model-0000${i + 1}-of-00002.safetensors`), bytes),
    );
    writeFileSync(join(dir, 'tokenizer.json'), TINY_TOKENIZER.json);
    writeFileSync(join(dir, 'tokenizer_config.json'), TINY_TOKENIZER.config);
    const loaded = loadHfModelDir(dir);
    expect(loaded.description).toBe('HF safetensors (llama, F32, 2 shard(s))');
    expect([...loaded.tokenizer.encode('abcab')]).toEqual([1, 8, 6]); // <s> abc ab
    const options = { maxTokens: 5, temperature: 0.9, seed: 3, portable: true };
    const ops = new CpuOps();
    const ours = await generateText(
      new LlamaForward(ops, loaded.weights, { capacity: 16 }),
      loaded.tokenizer,
      'abc',
      options,
    );
    const source = await generateText(
      new LlamaForward(ops, weights, { capacity: 16 }),
      loaded.tokenizer,
      'abc',
      options,
    );
    expect(ours.tokens).toEqual(source.tokens);
    expect(ours.promptTokens).toBe(2);
  });

  it('names a folder without weights', () => {
    const empty = mkdtempSync(join(dir, 'empty-'));
    expect(() => loadHfModelDir(empty)).toThrow(/has no \*.safetensors/);
  });
});
