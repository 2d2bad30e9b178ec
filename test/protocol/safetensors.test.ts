import { describe, expect, it } from 'vitest';
import {
  MAX_HEADER_BYTES,
  SafetensorsFormatError,
  f16ToF32,
  f32ToF16,
  parseSafetensors,
  writeSafetensors,
} from '../../src/protocol/safetensors';

/** Hand-assemble a file: 8-byte LE length, the header JSON text as given, then raw data bytes. */
function assemble(headerJson: string, data: Uint8Array, lengthOverride?: bigint): Uint8Array {
  const header = new TextEncoder().encode(headerJson);
  const out = new Uint8Array(8 + header.length + data.length); // [file bytes]
  new DataView(out.buffer).setBigUint64(0, lengthOverride ?? BigInt(header.length), true);
  out.set(header, 8);
  out.set(data, 8 + header.length);
  return out;
}

const f32Bytes = (values: number[]): Uint8Array => new Uint8Array(new Float32Array(values).buffer);

describe('parseSafetensors', () => {
  it('reads hand-built F32 and F16 tensors at their offsets', () => {
    const a = f32Bytes([1.5, -2, 3.25, 0]); // a: [2, 2]
    const b = new Uint8Array(new Uint16Array([0x3c00, 0xc000, 0x3555]).buffer); // b: [3] = 1, -2, 0.333…
    const header = JSON.stringify({
      __metadata__: { format: 'pt' },
      b: { dtype: 'F16', shape: [3], data_offsets: [16, 22] },
      a: { dtype: 'F32', shape: [2, 2], data_offsets: [0, 16] },
    });
    const data = new Uint8Array(22);
    data.set(a, 0);
    data.set(b, 16);
    const file = parseSafetensors(assemble(header, data));
    expect([...file.entries.keys()]).toEqual(['b', 'a']);
    expect(file.metadata).toEqual({ format: 'pt' });
    expect(file.entries.get('a')?.shape).toEqual([2, 2]);
    expect([...file.tensor('a')]).toEqual([1.5, -2, 3.25, 0]);
    expect([...file.tensor('b')]).toEqual([1, -2, 0.333251953125]);
  });

  it('accepts a Uint8Array view with a non-zero byteOffset (unaligned data)', () => {
    const inner = assemble(
      JSON.stringify({ x: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }),
      f32Bytes([7]),
    );
    const padded = new Uint8Array(inner.length + 3);
    padded.set(inner, 3);
    expect([...parseSafetensors(padded.subarray(3)).tensor('x')]).toEqual([7]);
  });

  it('reads a Node Buffer from the shared pool (whose slice() is a view, not a copy)', () => {
    const file = writeSafetensors([{ name: 'w', shape: [3], data: new Float32Array([1.5, -2, 3.25]) }]);
    const pooled = Buffer.from(file); // small Buffers live at an offset inside Node's shared pool
    expect([...parseSafetensors(pooled).tensor('w')]).toEqual([1.5, -2, 3.25]);
  });

  it('rejects a file shorter than the length prefix', () => {
    expect(() => parseSafetensors(new Uint8Array(5))).toThrow(SafetensorsFormatError);
  });

  it('rejects an absurd header length without allocating it', () => {
    const file = assemble('{}', new Uint8Array(0), BigInt(MAX_HEADER_BYTES) + 1n);
    expect(() => parseSafetensors(file)).toThrow(/exceeds/);
    const huge = assemble('{}', new Uint8Array(0), 0xffffffffffffffffn);
    expect(() => parseSafetensors(huge)).toThrow(SafetensorsFormatError);
  });

  it('rejects a header that runs past the end of the file', () => {
    const file = assemble('{"x":1}', new Uint8Array(0), 100n);
    expect(() => parseSafetensors(file)).toThrow(/truncated/);
  });

  it('rejects truncated tensor data', () => {
    const good = writeSafetensors([{ name: 'w', shape: [4], data: new Float32Array([1, 2, 3, 4]) }]);
    expect(() => parseSafetensors(good.subarray(0, good.length - 1))).toThrow(/truncated/);
  });

  it('rejects non-JSON headers, unknown dtypes, bad shapes, inconsistent and overlapping offsets', () => {
    const data = new Uint8Array(16);
    const cases: Array<[string, RegExp]> = [
      ['{not json', /not valid UTF-8 JSON/],
      ['[1,2]', /JSON object/],
      [JSON.stringify({ x: { dtype: 'I64', shape: [2], data_offsets: [0, 16] } }), /not supported/],
      [JSON.stringify({ x: { dtype: 'F32', shape: [-1], data_offsets: [0, 4] } }), /shape/],
      [JSON.stringify({ x: { dtype: 'F32', shape: [2], data_offsets: [8, 0] } }), /data_offsets/],
      [JSON.stringify({ x: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }), /needs 12 bytes/],
      [
        JSON.stringify({
          x: { dtype: 'F32', shape: [2], data_offsets: [0, 8] },
          y: { dtype: 'F32', shape: [2], data_offsets: [4, 12] },
        }),
        /overlap/,
      ],
      [JSON.stringify({ __metadata__: { n: 3 } }), /__metadata__/],
    ];
    for (const [header, message] of cases) {
      expect(() => parseSafetensors(assemble(header, data)), header).toThrow(message);
    }
  });

  it('names the available tensors when asked for a missing one', () => {
    const file = parseSafetensors(
      writeSafetensors([{ name: 'only', shape: [1], data: new Float32Array([1]) }]),
    );
    expect(() => file.tensor('other')).toThrow(/only/);
  });
});

describe('writeSafetensors', () => {
  it('round-trips F32 exactly and F16 to half precision, with 8-aligned data and metadata', () => {
    const values = new Float32Array([0.1, -1e-3, 12345.678, 0, -0]); // [5]
    const bytes = writeSafetensors(
      [
        { name: 'full', shape: [5], data: values },
        { name: 'half', shape: [5, 1], data: values, dtype: 'F16' },
      ],
      { note: 'x' },
    );
    const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect((8 + headerLength) % 8).toBe(0);
    const file = parseSafetensors(bytes);
    expect(file.tensor('full')).toEqual(values);
    expect([...file.tensor('half')]).toEqual([0.0999755859375, -(1 + 25 / 1024) * 2 ** -10, 12344, 0, -0]);
    expect(file.metadata).toEqual({ note: 'x' });
  });

  it('rejects data whose length does not match the shape', () => {
    expect(() => writeSafetensors([{ name: 'w', shape: [2, 2], data: new Float32Array(3) }])).toThrow(
      SafetensorsFormatError,
    );
  });
});

describe('f16 conversion', () => {
  it('decodes hand-picked bit patterns', () => {
    const bits = new Uint16Array([0x0000, 0x8000, 0x3c00, 0x7bff, 0x0001, 0x0400, 0x7c00, 0xfc00]);
    expect([...f16ToF32(bits)]).toEqual([0, -0, 1, 65504, 2 ** -24, 2 ** -14, Infinity, -Infinity]);
    expect(f16ToF32(new Uint16Array([0x7e00]))[0]).toBeNaN();
  });

  it('encodes with round-to-nearest-even, subnormals and overflow', () => {
    const values = new Float32Array([
      1,
      1 + 2 ** -11,
      1 + 3 * 2 ** -11,
      2 ** -24,
      2 ** -26,
      65520,
      -2,
      2 ** -15,
    ]);
    expect([...f32ToF16(values)]).toEqual([0x3c00, 0x3c00, 0x3c02, 0x0001, 0x0000, 0x7c00, 0xc000, 0x0200]);
  });

  it('round-trips every finite half value', () => {
    const all = new Uint16Array(0x7c00); // [31744] all non-negative finite halves
    for (let i = 0; i < all.length; i++) all[i] = i;
    expect(f32ToF16(f16ToF32(all))).toEqual(all);
  });
});
