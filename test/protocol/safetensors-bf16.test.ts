import { describe, expect, it } from 'vitest';
import { bf16ToF32, f32ToBf16, parseSafetensors, writeSafetensors } from '../../src/protocol/safetensors.ts';

describe('safetensors BF16', () => {
  it('converts by hand: top 16 bits, round to nearest even, NaN kept', () => {
    const values = Float32Array.of(
      1,
      -2.5,
      1 + 2 ** -8,
      1 + 3 * 2 ** -8,
      1 + 2 ** -7 + 2 ** -9,
      Infinity,
      NaN,
    );
    const bits = f32ToBf16(values);
    expect(Array.from(bits.subarray(0, 6))).toEqual([0x3f80, 0xc020, 0x3f80, 0x3f82, 0x3f81, 0x7f80]);
    expect(Number.isNaN(bf16ToF32(bits)[6])).toBe(true);
    expect(Array.from(bf16ToF32(bits.subarray(0, 6)))).toEqual([
      1,
      -2.5,
      1,
      1 + 2 ** -6,
      1 + 2 ** -7,
      Infinity,
    ]);
  });

  it('writes and reads BF16 tensors (2 bytes per value)', () => {
    const data = Float32Array.of(0.5, -3, 1024, 0.1); // [2, 2]
    const file = parseSafetensors(writeSafetensors([{ name: 'w', shape: [2, 2], data, dtype: 'BF16' }]));
    expect(file.entries.get('w')?.byteLength).toBe(8);
    expect(Array.from(file.tensor('w'))).toEqual([
      0.5,
      -3,
      1024,
      bf16ToF32(f32ToBf16(Float32Array.of(0.1)))[0],
    ]);
    expect(file.tensor('w')[3]).toBeCloseTo(0.1, 2);
  });
});
