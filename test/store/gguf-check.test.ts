import { describe, expect, it } from 'vitest';
import { GgufFormatError } from '../../src/llm/load/errors.ts';
import { parameterCount, randomQ4Gguf } from '../../src/llm/random-model.ts';
import { checkFits, describeGguf, inspectGguf, ModelTooLargeError } from '../../src/store/gguf-check.ts';
import { TINY_CONFIG } from '../llm/tiny-llama.ts';

// Q4_0 blocks hold 32 values: every matrix dimension a multiple of 32
const CONFIG = { ...TINY_CONFIG, dim: 32, hiddenDim: 64, vocabSize: 64 };
const file = randomQ4Gguf(CONFIG, null, 1);
const prefixOf = (bytes: Uint8Array) => async (n: number) => bytes.subarray(0, n);

describe('inspectGguf', () => {
  it('reads arch, parameters and quantisation from the header', async () => {
    const s = await inspectGguf(prefixOf(file), file.byteLength);
    expect(s.arch).toBe('llama');
    expect(s.params).toBe(parameterCount(CONFIG));
    expect(s.quant).toBe('Q4_0');
    expect(s.layers).toBe(CONFIG.layers);
    expect(describeGguf(s)).toMatch(/^llama, \d+\.\dK params, Q4_0, \d+ layers$/);
  });

  it('reads only a prefix of a large file', async () => {
    const asked: number[] = [];
    const padded = new Uint8Array(file.byteLength + (20 << 20)); // [file + 20 MiB]
    padded.set(file);
    await inspectGguf(async (n) => (asked.push(n), padded.subarray(0, n)), padded.byteLength);
    expect(asked).toEqual([8 << 20]);
  });

  it('refuses a truncated file before reading its tensors', async () => {
    const cut = file.subarray(0, file.byteLength - 100);
    await expect(inspectGguf(prefixOf(cut), cut.byteLength)).rejects.toThrow(
      /truncated: tensor .* download it again/,
    );
  });

  it('refuses a file that is not GGUF with its reader error', async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]);
    await expect(inspectGguf(prefixOf(png), png.byteLength)).rejects.toThrow(GgufFormatError);
  });
});

describe('checkFits', () => {
  const summary = {
    arch: 'llama',
    params: 1_100_000_000,
    quant: 'F16',
    layers: 22,
    weightBytes: 2_200_000_000,
    largestTensorBytes: 262_144_000,
  };

  it('passes a model inside the budget', () => {
    expect(() => checkFits(summary, { totalBytes: 4e9, maxBufferSize: 1 << 30 })).not.toThrow();
  });

  it('refuses a model over budget and suggests Q4_0 with its size when that would fit', () => {
    // Q4_0 of 1.1e9 params: ceil(1.1e9 / 32) * 18 bytes = 618,750,000 bytes = 590.1 MB
    expect(() => checkFits(summary, { totalBytes: 1e9 })).toThrow(
      /need 2098\.1 MB but this device allows about 953\.7 MB.*Q4_0 .*about 590\.1 MB\) would fit/,
    );
  });

  it('names the buffer limit when one tensor is too large', () => {
    expect(() => checkFits(summary, { totalBytes: 4e9, maxBufferSize: 128 << 20 })).toThrow(
      ModelTooLargeError,
    );
    expect(() => checkFits(summary, { totalBytes: 4e9, maxBufferSize: 128 << 20 })).toThrow(/maxBufferSize/);
  });

  it('suggests a smaller model when even Q4_0 would not fit', () => {
    expect(() => checkFits({ ...summary, quant: 'Q4_0' }, { totalBytes: 1e8 })).toThrow(
      /Pick a smaller model/,
    );
  });
});
