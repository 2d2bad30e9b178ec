import { describe, expect, it } from 'vitest';
import { parseGguf, readGgufTensor } from '../../src/llm/load/gguf.ts';
import { loadGgufLlama } from '../../src/llm/load/gguf-llama.ts';
import { f16ToF32 } from '../../src/llm/load/gguf-types.ts';
import {
  GgufFormatError,
  ModelFileError,
  UnsupportedArchitectureError,
  UnsupportedQuantizationError,
} from '../../src/llm/load/errors.ts';
import { LlamaConfigError } from '../../src/llm/config.ts';
import { LlamaWeightsError, type LlamaWeights } from '../../src/llm/weights.ts';
import { seededRandom } from '../../src/eval/random.ts';
import { f32Bytes, meta, writeGguf, type MetaValue } from './gguf-writer.ts';
import { TINY_CONFIG, ggufTensors, llamaMetadata, tinyLlamaGguf, tinyLlamaWeights } from './tiny-llama.ts';

/** Little-endian u16 values as bytes. */
function u16Bytes(values: number[]): number[] {
  return values.flatMap((v) => [v & 0xff, v >> 8]);
}

describe('GGUF container reader', () => {
  it('reads metadata of every value type, arrays included', () => {
    const entries: [string, MetaValue][] = [
      ['u8', { type: 0, value: 200 }],
      ['i8', { type: 1, value: -5 }],
      ['u16', { type: 2, value: 60000 }],
      ['i16', { type: 3, value: -30000 }],
      ['u32', { type: 4, value: 4_000_000_000 }],
      ['i32', { type: 5, value: -7 }],
      ['f32', { type: 6, value: 0.5 }],
      ['bool', { type: 7, value: true }],
      ['str', { type: 8, value: 'héllo ▁' }],
      ['u64', { type: 10, value: 2n ** 40n }],
      ['i64', { type: 11, value: -3n }],
      ['f64', { type: 12, value: 1e-300 }],
      ['ints', meta.i32s([1, -2, 3])],
      ['strings', meta.strings(['a', '', 'ccc'])],
      ['nested', { type: 9, itemType: 9, items: [meta.i32s([4]), meta.i32s([])] }],
    ];
    const file = parseGguf(writeGguf(entries, []));
    expect(file.version).toBe(3);
    const m = file.metadata;
    expect([m.get('u8'), m.get('i8'), m.get('u16'), m.get('i16'), m.get('u32'), m.get('i32')]).toEqual([
      200, -5, 60000, -30000, 4_000_000_000, -7,
    ]);
    expect([m.get('f32'), m.get('bool'), m.get('str'), m.get('u64'), m.get('i64'), m.get('f64')]).toEqual([
      0.5,
      true,
      'héllo ▁',
      2n ** 40n,
      -3n,
      1e-300,
    ]);
    expect(m.get('ints')).toEqual(Int32Array.of(1, -2, 3));
    expect(m.get('strings')).toEqual(['a', '', 'ccc']);
    expect(m.get('nested')).toEqual([Int32Array.of(4), new Int32Array(0)]);
  });

  it('decodes F32, F16, Q8_0 and Q4_0 tensors (hand-computed), honouring general.alignment', () => {
    const q8 = [0x00, 0x38, ...Array.from({ length: 32 }, (_, j) => (j - 16) & 0xff)]; // scale 0.5, values j − 16
    const q4 = [0x00, 0x40, 0x1f, ...Array(15).fill(0x88)]; // scale 2; byte 0x1f: low 15 − 8, high 1 − 8
    const file = writeGguf(
      [['general.alignment', meta.u32(64)]],
      [
        { name: 'f32', shape: [2, 2], typeId: 0, data: f32Bytes([1, -2, 3.5, 0]) },
        { name: 'f16', shape: [3], typeId: 1, data: Uint8Array.from(u16Bytes([0x3c00, 0xc000, 0x3555])) },
        { name: 'q8', shape: [32], typeId: 8, data: Uint8Array.from(q8) },
        { name: 'q4', shape: [32], typeId: 2, data: Uint8Array.from(q4) },
      ],
    );
    const parsed = parseGguf(file);
    expect(parsed.dataOffset % 64).toBe(0);
    for (const info of parsed.tensors.values()) expect((info.offset - parsed.dataOffset) % 64).toBe(0);
    expect(parsed.tensors.get('f32')!.shape).toEqual([2, 2]);
    expect(readGgufTensor(parsed, file, 'f32')).toEqual(Float32Array.of(1, -2, 3.5, 0));
    expect(Array.from(readGgufTensor(parsed, file, 'f16'))).toEqual([1, -2, f16ToF32(0x3555)]);
    expect(f16ToF32(0x3555)).toBeCloseTo(1 / 3, 3);
    expect(Array.from(readGgufTensor(parsed, file, 'q8'))).toEqual(
      Array.from({ length: 32 }, (_, j) => (j - 16) / 2),
    );
    const q4Values = readGgufTensor(parsed, file, 'q4');
    expect([q4Values[0], q4Values[16], q4Values[1], q4Values[17]]).toEqual([14, -14, 0, 0]);
  });

  it('refuses K-quants and other types by name', () => {
    const file = writeGguf(
      [],
      [
        { name: 'k4', shape: [256], typeId: 12, data: new Uint8Array(144) },
        { name: 'k6', shape: [256], typeId: 14, data: new Uint8Array(210) },
      ],
    );
    const parsed = parseGguf(file);
    expect(() => readGgufTensor(parsed, file, 'k4')).toThrow(UnsupportedQuantizationError);
    expect(() => readGgufTensor(parsed, file, 'k4')).toThrow(/"k4" is Q4_K/);
    expect(() => readGgufTensor(parsed, file, 'k6')).toThrow(
      /Q6_K; this runtime reads F32, F16, Q8_0 and Q4_0/,
    );
  });

  it('fails fast with GgufFormatError on wrong magic, old versions and absurd counts', () => {
    const good = writeGguf([['a', meta.u32(1)]], []);
    const wrongMagic = good.slice();
    wrongMagic[0] = 0x47 + 1;
    expect(() => parseGguf(wrongMagic)).toThrow(/not a GGUF file/);
    expect(() => parseGguf(writeGguf([], [], 1))).toThrow(/version 1 is not supported/);
    const hugeTensors = good.slice();
    new DataView(hugeTensors.buffer).setBigUint64(8, 2n ** 40n, true);
    expect(() => parseGguf(hugeTensors)).toThrow(/tensor count = 1099511627776 is absurd/);
    const hugeArray = writeGguf([['xs', meta.i32s([1, 2])]], []);
    const lengthAt = 24 + 10 + 4 + 4; // header, key "xs", value type, item type → the u64 length
    new DataView(hugeArray.buffer).setBigUint64(lengthAt, 2n ** 50n, true);
    expect(() => parseGguf(hugeArray)).toThrow(GgufFormatError);
  });

  it('every truncation of a file throws GgufFormatError (header) or fails reading the tensor', () => {
    const file = writeGguf(
      [['k', meta.strings(['x', 'yy'])]],
      [{ name: 't', shape: [4], typeId: 0, data: f32Bytes([1, 2, 3, 4]) }],
    );
    // header 24 + kv (key 9, type 4, item type 4, count 8, "x" 9, "yy" 10) + info (9 + 4 + 8 + 4 + 8)
    const headerEnd = 24 + 44 + 33;
    for (let length = 0; length < file.length; length++) {
      const prefix = file.subarray(0, length);
      if (length < headerEnd) {
        expect(() => parseGguf(prefix), `length ${length}`).toThrow(GgufFormatError);
      } else {
        const parsed = parseGguf(prefix);
        expect(() => readGgufTensor(parsed, prefix, 't'), `length ${length}`).toThrow(
          /GGUF file is truncated/,
        );
      }
    }
  });

  it('random byte mutations only ever produce named model-file errors (fixed seed, 400 cases)', () => {
    const file = tinyLlamaGguf(tinyLlamaWeights(3), [['tokenizer.ggml.tokens', meta.strings(['a'])]]);
    const random = seededRandom(2024);
    const named = [ModelFileError, LlamaConfigError, LlamaWeightsError];
    for (let trial = 0; trial < 400; trial++) {
      const mutated = file.slice(0, trial % 4 === 0 ? Math.floor(random() * file.length) : file.length);
      for (let k = 0; k < 1 + Math.floor(random() * 4); k++) {
        mutated[Math.floor(random() * Math.min(mutated.length, 600))] = Math.floor(random() * 256);
      }
      try {
        loadGgufLlama(mutated);
      } catch (error) {
        if (!named.some((type) => error instanceof type))
          throw new Error(`trial ${trial}: unnamed ${String(error)}`);
      }
    }
  });
});

/** `w` as read back from GGUF, where the RMSNorm epsilon is stored as f32. */
function asStoredInGguf(w: LlamaWeights): LlamaWeights {
  return { ...w, config: { ...w.config, normEps: Math.fround(w.config.normEps) } };
}

describe('GGUF llama model loading', () => {
  it('maps llama tensors to LlamaWeights (separate output head → not shared)', () => {
    const weights = tinyLlamaWeights(1, { ...TINY_CONFIG, sharedClassifier: false });
    const loaded = loadGgufLlama(tinyLlamaGguf(weights));
    expect(loaded.weights).toEqual(asStoredInGguf(weights));
    expect(loaded.vocabulary).toBeNull();
    expect(loaded.description).toBe('GGUF v3 (llama, F32)');
  });

  it('ties the classifier when output.weight is absent', () => {
    const weights = tinyLlamaWeights(2);
    expect(loadGgufLlama(tinyLlamaGguf(weights)).weights).toEqual(asStoredInGguf(weights));
  });

  it('names what is wrong: architecture, missing tensor, wrong shape, bad metadata', () => {
    const weights = tinyLlamaWeights(4);
    expect(() =>
      loadGgufLlama(tinyLlamaGguf(weights, [['general.architecture', meta.str('gemma2')]])),
    ).toThrow(UnsupportedArchitectureError);
    const tensors = ggufTensors(weights);
    const metadata = llamaMetadata(weights.config);
    expect(() =>
      loadGgufLlama(
        writeGguf(
          metadata,
          tensors.filter((t) => t.name !== 'blk.1.ffn_up.weight'),
        ),
      ),
    ).toThrow(/no tensor "blk.1.ffn_up.weight" \(expected shape \[12, 8\]\)/);
    const transposed = tensors.map((t) => (t.name === 'blk.0.attn_k.weight' ? { ...t, shape: [8, 4] } : t));
    expect(() => loadGgufLlama(writeGguf(metadata, transposed))).toThrow(
      /has shape \[8, 4\]; expected \[4, 8\]/,
    );
    const badHeads = llamaMetadata(weights.config, [['llama.attention.head_count', meta.u32(3)]]);
    expect(() => loadGgufLlama(writeGguf(badHeads, tensors))).toThrow(LlamaConfigError);
  });
});
