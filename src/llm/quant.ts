/**
 * Quantisation to GGUF's block formats (the inverse of the decoders in load/gguf-types.ts and
 * gpu/reference/matvec_q.ts), and f32 → f16 rounding.
 *
 * Both schemes quantise each block of 32 values with the f16 scale d that is STORED (so the error
 * bounds hold for what a reader decodes, not for an unrounded scale):
 *  - Q8_0: d = f16(max|x| / 127), q = clamp(round(x / d), −127, 127), value = q·d.
 *    Exact bound per value: |err| ≤ max(d/2, |x| − 127·d). The second term is zero whenever f16
 *    rounds d by less than 1/254 relative, i.e. for every block with max|x| ≥ 127·2⁻¹⁷ ≈ 9.7e-4
 *    (normal halves round by ≤ 2⁻¹¹): then |err| ≤ d/2 = max|x|/254.
 *  - Q4_0 (llama.cpp's scheme): m = the value of largest magnitude (sign kept), d = f16(m / −8),
 *    q = clamp(round(x / d) + 8, 0, 15), value = (q − 8)·d, so m itself is (nearly) exact.
 *    Exact bound per value, with t = x/d: |err| ≤ |d|·max(1/2, t − 7, −8 − t). For normal scales
 *    t ∈ [−8.004, 8.004], so |err| ≤ |d|/2 except for values clamped at q = 15 (t > 7.5), which
 *    err by at most 1.004·|d|: |err| ≤ 1.004·|d| ≈ 0.1255·max|x| always.
 * When d rounds to 0 in f16 (max|x| < ~3e-8) every q decodes to 0 and the error is |x| itself.
 */
import {
  QUANT_BLOCK,
  QUANT_BLOCK_BYTES,
  type QuantType,
  type QuantizedMatrix,
} from '../gpu/reference/matvec_q.ts';
import type { GgmlType } from './load/gguf-types.ts';
import { floatToHalfBits } from '../protocol/half.ts';
import { f16ToF32 } from './load/gguf-types.ts';

/** Values cannot be quantised (not finite, too large for an f16 scale, or not whole blocks). */
export class QuantizationError extends Error {
  override readonly name = 'QuantizationError';
}

/** Nearest IEEE half (round to nearest, ties to even) as its 16 bits; overflow gives ±Infinity. */
export const f32ToF16 = floatToHalfBits;

/** Largest |x| whose Q8_0 / Q4_0 scale still fits an f16 (65504). */
const MAX_ABS = { Q8_0: 65504 * 127, Q4_0: 65504 * 8 } as const;

function checkBlocks(type: QuantType, values: Float32Array): number {
  if (values.length % QUANT_BLOCK !== 0) {
    throw new QuantizationError(
      `${type} needs whole blocks of ${QUANT_BLOCK} values; got ${values.length} (pad the row or keep the tensor in F32)`,
    );
  }
  return values.length / QUANT_BLOCK;
}

/** The value of largest magnitude in values[from..from+32) (first one on ties). */
function extreme(values: Float32Array, from: number, type: QuantType): number {
  let best = 0;
  for (let j = from; j < from + QUANT_BLOCK; j++) {
    const v = values[j];
    if (!Number.isFinite(v))
      throw new QuantizationError(`value ${v} at index ${j} cannot be quantised to ${type}`);
    if (Math.abs(v) > Math.abs(best)) best = v;
  }
  if (Math.abs(best) > MAX_ABS[type]) {
    throw new QuantizationError(
      `value ${best} in block ${from / QUANT_BLOCK} is too large for a ${type} f16 scale`,
    );
  }
  return best;
}

/** Q8_0 blocks of `values` (length a multiple of 32): [blocks · 34] bytes. */
export function quantizeQ8_0(values: Float32Array): Uint8Array {
  const blocks = checkBlocks('Q8_0', values);
  const out = new Uint8Array(blocks * QUANT_BLOCK_BYTES.Q8_0); // [blocks · 34]
  for (let b = 0; b < blocks; b++) {
    const at = b * QUANT_BLOCK_BYTES.Q8_0;
    const bits = f32ToF16(Math.abs(extreme(values, b * QUANT_BLOCK, 'Q8_0')) / 127);
    const d = f16ToF32(bits);
    out[at] = bits & 0xff;
    out[at + 1] = bits >> 8;
    for (let j = 0; j < QUANT_BLOCK; j++) {
      const q = d === 0 ? 0 : Math.max(-127, Math.min(127, Math.round(values[b * QUANT_BLOCK + j] / d)));
      out[at + 2 + j] = q & 0xff;
    }
  }
  return out;
}

/** Q4_0 blocks of `values` (length a multiple of 32): [blocks · 18] bytes. */
export function quantizeQ4_0(values: Float32Array): Uint8Array {
  const blocks = checkBlocks('Q4_0', values);
  const out = new Uint8Array(blocks * QUANT_BLOCK_BYTES.Q4_0); // [blocks · 18]
  const nibble = (x: number, d: number) => (d === 0 ? 8 : Math.max(0, Math.min(15, Math.round(x / d) + 8)));
  for (let b = 0; b < blocks; b++) {
    const at = b * QUANT_BLOCK_BYTES.Q4_0;
    const from = b * QUANT_BLOCK;
    const bits = f32ToF16(extreme(values, from, 'Q4_0') / -8);
    const d = f16ToF32(bits);
    out[at] = bits & 0xff;
    out[at + 1] = bits >> 8;
    for (let j = 0; j < 16; j++) {
      out[at + 2 + j] = nibble(values[from + j], d) | (nibble(values[from + j + 16], d) << 4);
    }
  }
  return out;
}

/** `values` [rows, cols] quantised to `type` (cols a multiple of 32). */
export function quantizeMatrix(
  type: QuantType,
  values: Float32Array,
  rows: number,
  cols: number,
): QuantizedMatrix {
  if (values.length !== rows * cols || cols % QUANT_BLOCK !== 0) {
    throw new QuantizationError(
      `cannot quantise ${values.length} values as [${rows}, ${cols}] ${type}; columns must be a multiple of ${QUANT_BLOCK}`,
    );
  }
  const bytes = type === 'Q8_0' ? quantizeQ8_0(values) : quantizeQ4_0(values);
  return { type, rows, cols, bytes };
}

/** GGUF tensor bytes of `values` in `type` (F32 and F16 element-wise, Q8_0/Q4_0 in blocks). */
export function encodeTensor(type: GgmlType, values: Float32Array): Uint8Array {
  if (type === 'Q8_0') return quantizeQ8_0(values);
  if (type === 'Q4_0') return quantizeQ4_0(values);
  if (type === 'F32') return new Uint8Array(Float32Array.from(values).buffer);
  const halves = new Uint16Array(values.length); // [n]
  for (let i = 0; i < values.length; i++) halves[i] = f32ToF16(values[i]);
  return new Uint8Array(halves.buffer);
}

/** Largest |a[i] − b[i]| (the per-tensor error the CLIs report). */
export function maxAbsDifference(a: Float32Array, b: Float32Array): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}
