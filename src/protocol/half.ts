/**
 * IEEE 754 half precision ↔ single precision, one value at a time: the one codec that the
 * safetensors reader/writer, the GGUF reader and the quantizer share.
 */

const f32Scratch = new Float32Array(1); // [1]
const u32Scratch = new Uint32Array(f32Scratch.buffer); // [1] the same 4 bytes as bits

/** The value of the half whose 16 bits are `bits`. */
export function halfBitsToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24; // zero / subnormal
  if (exponent === 0x1f) return mantissa ? NaN : sign * Infinity;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

/** Nearest half (round to nearest, ties to even) as its 16 bits; overflow gives ±Infinity. */
export function floatToHalfBits(value: number): number {
  f32Scratch[0] = value;
  const bits = u32Scratch[0];
  const sign = (bits >>> 16) & 0x8000;
  const exponent = (bits >>> 23) & 0xff;
  const mantissa = bits & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0);
  const e = exponent - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  // normal halves keep 10 mantissa bits (shift 13); subnormals shift further and gain the hidden bit
  const shift = e > 0 ? 13 : 14 - e;
  if (shift > 24) return sign;
  const full = e > 0 ? mantissa : mantissa | 0x800000;
  let half = (e > 0 ? e << 10 : 0) | (full >>> shift);
  const rest = full & ((1 << shift) - 1);
  const middle = 1 << (shift - 1);
  if (rest > middle || (rest === middle && (half & 1) === 1)) half++; // a carry correctly bumps the exponent
  return sign | half;
}
