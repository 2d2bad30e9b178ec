import { describe, expect, it } from 'vitest';
import { loadLlama2c } from '../../src/llm/load/llama2c.ts';
import { Llama2cFormatError } from '../../src/llm/load/errors.ts';
import { LlamaConfigError } from '../../src/llm/config.ts';
import { loadLlamaFile } from '../../src/llm/load/model-file.ts';
import { TINY_CONFIG, tinyLlama2c, tinyLlamaGguf, tinyLlamaWeights } from './tiny-llama.ts';

describe('llama2.c v0 checkpoints', () => {
  it('round-trip a tied model and a separate-classifier model (negative vocab size)', () => {
    const tied = tinyLlamaWeights(5);
    expect(loadLlama2c(tinyLlama2c(tied)).weights).toEqual(tied);
    const separate = tinyLlamaWeights(6, { ...TINY_CONFIG, sharedClassifier: false });
    const loaded = loadLlama2c(tinyLlama2c(separate)).weights;
    expect(loaded.config.sharedClassifier).toBe(false);
    expect(loaded).toEqual(separate);
  });

  it('fails with named errors on truncation, trailing bytes and absurd headers', () => {
    const file = tinyLlama2c(tinyLlamaWeights(7));
    expect(() => loadLlama2c(file.subarray(0, file.length - 4))).toThrow(Llama2cFormatError);
    expect(() => loadLlama2c(file.subarray(0, 10))).toThrow(/truncated or corrupt: header int 2/);
    const longer = new Uint8Array(file.length + 8);
    longer.set(file);
    expect(() => loadLlama2c(longer)).toThrow(/8 unexpected bytes at the end/);
    const absurd = file.slice();
    new DataView(absurd.buffer).setInt32(0, 0x7fffffff, true); // dim
    expect(() => loadLlama2c(absurd)).toThrow(LlamaConfigError);
    const badGqa = file.slice();
    new DataView(badGqa.buffer).setInt32(16, 3, true); // n_kv_heads 3 does not divide 2 heads
    expect(() => loadLlama2c(badGqa)).toThrow(/not a multiple of kvHeads 3/);
  });

  it('a v2 header with another version is refused by number', () => {
    const file = new Uint8Array(256);
    new DataView(file.buffer).setUint32(0, 0x616b3432, true);
    new DataView(file.buffer).setInt32(4, 3, true);
    expect(() => loadLlama2c(file)).toThrow(/version 3 is not supported; expected 2/);
  });

  it('loadLlamaFile sniffs GGUF versus llama2.c', () => {
    const weights = tinyLlamaWeights(8);
    expect(loadLlamaFile(tinyLlama2c(weights)).description).toBe('llama2.c v0 (fp32)');
    expect(loadLlamaFile(tinyLlamaGguf(weights)).description).toBe('GGUF v3 (llama, F32)');
  });
});
