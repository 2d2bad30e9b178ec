import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/eval/random.ts';
import { f16ToF32, dequantize } from '../../src/llm/load/gguf-types.ts';
import {
  QuantizationError,
  f32ToF16,
  quantizeQ4_0,
  quantizeQ8_0,
  quantizeMatrix,
} from '../../src/llm/quant.ts';
import {
  decodeQuantBlock,
  dequantizeMatrix,
  matvecQuantReference,
} from '../../src/gpu/reference/matvec_q.ts';

/** Seeded blocks with varied magnitudes (1e-4 .. 10) so tiny, subnormal-scale and normal blocks occur. */
function randomBlocks(seed: number, blocks: number): Float32Array {
  const random = seededRandom(seed);
  const out = new Float32Array(blocks * 32); // [blocks · 32]
  for (let b = 0; b < blocks; b++) {
    const magnitude = 10 ** (random() * 5 - 4);
    for (let j = 0; j < 32; j++) out[b * 32 + j] = (random() * 2 - 1) * magnitude;
  }
  return out;
}

describe('f32ToF16', () => {
  it('round-trips every finite half exactly', () => {
    for (let bits = 0; bits < 0x10000; bits++) {
      if ((bits & 0x7c00) === 0x7c00) continue; // inf / NaN
      expect(f32ToF16(f16ToF32(bits)), `bits ${bits.toString(16)}`).toBe(bits === 0x8000 ? 0x8000 : bits);
    }
  });

  it('rounds to nearest, ties to even, and overflows to infinity', () => {
    expect(f32ToF16(1 + 2 ** -11)).toBe(0x3c00); // tie between 1 and 1+2^-10 → even (1)
    expect(f32ToF16(1 + 3 * 2 ** -11)).toBe(0x3c02); // tie → even (1 + 2^-9)
    expect(f32ToF16(1 + 2 ** -11 + 2 ** -20)).toBe(0x3c01);
    expect(f32ToF16(65520)).toBe(0x7c00);
    expect(f32ToF16(-1e9)).toBe(0xfc00);
    expect(f32ToF16(2 ** -25)).toBe(0); // tie with 0 → even
    expect(f32ToF16(3 * 2 ** -26)).toBe(1); // above the tie → smallest subnormal
  });
});

describe('Q8_0 quantisation', () => {
  it('writes GGUF bytes by hand: scale max/127 as f16 then int8 values', () => {
    const values = Float32Array.from({ length: 32 }, (_, j) => (j - 16) * 0.5); // max |x| = 8
    const bytes = quantizeQ8_0(values);
    expect(bytes.length).toBe(34);
    const d = f16ToF32(bytes[0] | (bytes[1] << 8));
    expect(d).toBe(f16ToF32(f32ToF16(8 / 127)));
    expect((bytes[2] << 24) >> 24).toBe(-127); // -8 / d
    expect(bytes[2 + 16]).toBe(0); // value 0
  });

  it('every value errs by at most max(d/2, |x| − 127d), and by d/2 once max|x| ≥ 1e-3', () => {
    const values = randomBlocks(1, 400);
    const bytes = quantizeQ8_0(values);
    const decoded = dequantize('Q8_0', bytes, values.length);
    const ints = new Float32Array(32);
    for (let b = 0; b < 400; b++) {
      const d = decodeQuantBlock('Q8_0', bytes, b, ints);
      const block = values.subarray(b * 32, b * 32 + 32);
      const normal = Math.max(...block.map(Math.abs)) >= 1e-3;
      for (let j = 0; j < 32; j++) {
        const x = values[b * 32 + j];
        const err = Math.abs(decoded[b * 32 + j] - x);
        const bound = normal ? d / 2 : Math.max(d / 2, Math.abs(x) - 127 * d);
        expect(err, `block ${b} value ${j}`).toBeLessThanOrEqual(bound * (1 + 1e-6) + 1e-12);
      }
    }
  });

  it('refuses non-finite values and partial blocks by name', () => {
    expect(() => quantizeQ8_0(new Float32Array(31))).toThrow(QuantizationError);
    const bad = new Float32Array(32);
    bad[3] = NaN;
    expect(() => quantizeQ8_0(bad)).toThrow(/NaN at index 3/);
  });
});

describe('Q4_0 quantisation', () => {
  it('writes GGUF bytes by hand: low nibbles = first 16 values, value = (q − 8)·d', () => {
    const values = new Float32Array(32);
    values[0] = -8; // largest magnitude → d = 1, q = 0
    values[1] = 3; // q = 11
    values[16] = 7; // high nibble of byte 0: q = 15
    values[17] = -2; // high nibble of byte 1: q = 6
    const bytes = quantizeQ4_0(values);
    expect(bytes.length).toBe(18);
    expect(f16ToF32(bytes[0] | (bytes[1] << 8))).toBe(1);
    expect(bytes[2]).toBe(0x00 | (15 << 4));
    expect(bytes[3]).toBe(11 | (6 << 4));
    expect(bytes[4]).toBe(8 | (8 << 4)); // zeros
    expect(Array.from(dequantize('Q4_0', bytes, 32))).toEqual(Array.from(values));
  });

  it('every value errs by at most |d|·max(1/2, t − 7, −8 − t) with t = x/d, ≤ 1.004|d| for normal scales', () => {
    const values = randomBlocks(2, 400);
    const bytes = quantizeQ4_0(values);
    const decoded = dequantize('Q4_0', bytes, values.length);
    const ints = new Float32Array(32);
    let clamped = 0;
    for (let b = 0; b < 400; b++) {
      const d = decodeQuantBlock('Q4_0', bytes, b, ints);
      const normal = Math.max(...values.subarray(b * 32, b * 32 + 32).map(Math.abs)) >= 1e-3;
      for (let j = 0; j < 32; j++) {
        const x = values[b * 32 + j];
        const t = d === 0 ? 0 : x / d;
        const err = Math.abs(decoded[b * 32 + j] - x);
        const bound = d === 0 ? Math.abs(x) : Math.abs(d) * Math.max(0.5, t - 7, -8 - t);
        if (t > 7.5) clamped++;
        expect(err, `block ${b} value ${j}`).toBeLessThanOrEqual(bound * (1 + 1e-6) + 1e-12);
        if (normal) expect(err).toBeLessThanOrEqual(1.004 * Math.abs(d));
      }
    }
    expect(clamped).toBeGreaterThan(0); // the clamped case was exercised
  });
});

describe('quantized matvec reference', () => {
  it('equals x · dequant(W)ᵀ (+ bias, relu, residual)', () => {
    const random = seededRandom(3);
    const [m, n, k] = [3, 5, 64];
    const w = Float32Array.from({ length: n * k }, () => random() * 2 - 1); // [n, k]
    const x = Float32Array.from({ length: m * k }, () => random() * 2 - 1); // [m, k]
    const bias = Float32Array.from({ length: n }, () => random()); // [n]
    const residual = Float32Array.from({ length: m * n }, () => random()); // [m, n]
    for (const type of ['Q8_0', 'Q4_0'] as const) {
      const q = quantizeMatrix(type, w, n, k);
      const dense = dequantizeMatrix(q); // [n, k]
      const got = matvecQuantReference(x, q, m, { bias, relu: true, residual });
      for (let r = 0; r < m; r++) {
        for (let c = 0; c < n; c++) {
          let s = bias[c];
          for (let i = 0; i < k; i++) s += x[r * k + i] * dense[c * k + i];
          expect(got[r * n + c]).toBeCloseTo(Math.max(s, 0) + residual[r * n + c], 5);
        }
      }
    }
  });
});
