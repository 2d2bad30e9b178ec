import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gguf } from '@huggingface/gguf';
import { seededRandom } from '../../src/eval/random.ts';
import { parseGguf, readGgufTensor } from '../../src/llm/load/gguf.ts';
import { dequantize } from '../../src/llm/load/gguf-types.ts';
import {
  GgufWriteError,
  writeGguf,
  type GgufMetaValue,
  type GgufTensorToWrite,
} from '../../src/llm/load/gguf-write.ts';
import { metadataForWriting } from '../../src/llm/load/gguf-write-metadata.ts';
import { encodeTensor } from '../../src/llm/quant.ts';

const METADATA: [string, GgufMetaValue][] = [
  ['general.architecture', { type: 'string', value: 'llama' }],
  ['t.u8', { type: 'u8', value: 250 }],
  ['t.i8', { type: 'i8', value: -100 }],
  ['t.u16', { type: 'u16', value: 65000 }],
  ['t.i16', { type: 'i16', value: -32000 }],
  ['t.u32', { type: 'u32', value: 4_000_000_000 }],
  ['t.i32', { type: 'i32', value: -2_000_000_000 }],
  ['t.f32', { type: 'f32', value: 0.5 }],
  ['t.bool', { type: 'bool', value: true }],
  ['t.u64', { type: 'u64', value: 2n ** 63n }],
  ['t.i64', { type: 'i64', value: -(2n ** 62n) }],
  ['t.f64', { type: 'f64', value: Math.PI }],
  ['t.strings', { type: 'array', itemType: 'string', items: ['a', 'ü▁', ''] }],
  ['t.f32s', { type: 'array', itemType: 'f32', items: [1.5, -2] }],
  ['t.i32s', { type: 'array', itemType: 'i32', items: Int32Array.of(1, -1) }],
  ['t.bools', { type: 'array', itemType: 'bool', items: [false, true] }],
  [
    't.nested',
    { type: 'array', itemType: 'array', items: [{ type: 'array', itemType: 'u8', items: [1, 2] }] },
  ],
];

/** Seeded tensors of every type: values [shape product]. */
function tensors(): { values: Float32Array; tensor: GgufTensorToWrite }[] {
  const random = seededRandom(7);
  const make = (name: string, shape: number[], type: GgufTensorToWrite['type']) => {
    const values = Float32Array.from({ length: shape[0] * (shape[1] ?? 1) }, () => random() * 2 - 1);
    return { values, tensor: { name, shape, type, bytes: encodeTensor(type, values) } };
  };
  return [
    make('a.f32', [3], 'F32'),
    make('b.f16', [2, 5], 'F16'),
    make('c.q8', [3, 64], 'Q8_0'),
    make('d.q4', [2, 32], 'Q4_0'),
  ];
}

describe('GGUF writer', () => {
  it('round-trips metadata of every type (with its type id) and tensors through our reader', () => {
    const written = tensors();
    const bytes = writeGguf(
      METADATA,
      written.map((t) => t.tensor),
      { alignment: 64 },
    );
    const file = parseGguf(bytes);
    expect(file.version).toBe(3);
    expect(file.metadata.get('general.alignment')).toBe(64);
    expect(file.dataOffset % 64).toBe(0);
    expect(file.metadata.get('t.u32')).toBe(4_000_000_000);
    expect(file.metadata.get('t.i8')).toBe(-100);
    expect(file.metadata.get('t.u64')).toBe(2n ** 63n);
    expect(file.metadata.get('t.strings')).toEqual(['a', 'ü▁', '']);
    expect(Array.from(file.metadata.get('t.f32s') as Float32Array)).toEqual([1.5, -2]);
    expect(file.metadataTypes.get('t.f32')).toBe(6);
    expect(file.metadataTypes.get('t.nested')).toBe(9);
    for (const { values, tensor } of written) {
      const info = file.tensors.get(tensor.name)!;
      expect(info.shape).toEqual(tensor.shape);
      expect((info.offset - file.dataOffset) % 64).toBe(0);
      const want = dequantize(tensor.type, tensor.bytes, values.length);
      expect(Array.from(readGgufTensor(file, bytes, tensor.name))).toEqual(Array.from(want));
    }
    // F32 is lossless
    expect(Array.from(readGgufTensor(file, bytes, 'a.f32'))).toEqual(Array.from(written[0].values));
  });

  it('re-writes a parsed file byte for byte (metadata types kept)', () => {
    const bytes = writeGguf(
      METADATA,
      tensors().map((t) => t.tensor),
    );
    const file = parseGguf(bytes);
    const again = writeGguf(
      metadataForWriting(file),
      [...file.tensors.values()].map((info, i) => ({
        name: info.name,
        shape: info.shape,
        type: tensors()[i].tensor.type,
        bytes: tensors()[i].tensor.bytes,
      })),
    );
    expect(again).toEqual(bytes);
  });

  it('is read by @huggingface/gguf with the same metadata, shapes, types and offsets', async () => {
    const written = tensors();
    const bytes = writeGguf(
      METADATA,
      written.map((t) => t.tensor),
    );
    const dir = mkdtempSync(join(tmpdir(), 'gguf-write-'));
    try {
      const path = join(dir, 'model.gguf');
      writeFileSync(path, bytes);
      const parsed = await gguf(path, { allowLocalFile: true });
      const metadata = parsed.metadata as Record<string, unknown>;
      const ours = parseGguf(bytes);
      expect(metadata['general.architecture']).toBe('llama');
      expect(metadata['t.u32']).toBe(4_000_000_000);
      expect(metadata['t.strings']).toEqual(['a', 'ü▁', '']);
      expect(Number(parsed.tensorDataOffset)).toBe(ours.dataOffset);
      expect(parsed.tensorInfos.map((t) => [t.name, t.shape.map(Number), t.dtype])).toEqual([
        ['a.f32', [3], 0],
        ['b.f16', [5, 2], 1],
        ['c.q8', [64, 3], 8],
        ['d.q4', [32, 2], 2],
      ]);
      for (const info of parsed.tensorInfos) {
        expect(Number(info.offset) + ours.dataOffset).toBe(ours.tensors.get(info.name)!.offset);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses bad input with GgufWriteError', () => {
    const t = tensors()[2].tensor;
    expect(() => writeGguf([], [{ ...t, bytes: t.bytes.subarray(1) }])).toThrow(GgufWriteError);
    expect(() => writeGguf([['x', { type: 'u8', value: 300 }]], [])).toThrow(/does not fit u8/);
    expect(() =>
      writeGguf(
        [
          ['x', { type: 'u8', value: 1 }],
          ['x', { type: 'u8', value: 1 }],
        ],
        [],
      ),
    ).toThrow(/twice/);
    expect(() => writeGguf([], [], { alignment: 48 })).toThrow(/power of two/);
    expect(() =>
      writeGguf([['x', { type: 'array', itemType: 'string', items: [1 as unknown as string] }]], []),
    ).toThrow(/expected a string/);
  });
});
