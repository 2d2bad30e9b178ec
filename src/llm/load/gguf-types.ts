/**
 * GGML tensor types as stored in GGUF: byte sizes of the types we decode (F32, F16, Q8_0, Q4_0)
 * and dequantisation to f32 for the CPU path. Every other type is known by name so it can be
 * refused by name (e.g. "Q4_K") with UnsupportedQuantizationError.
 */
import { UnsupportedQuantizationError } from './errors.ts';
import { halfBitsToFloat } from '../../protocol/half.ts';

/** ggml_type ids → names (from the GGUF specification). */
const GGML_TYPE_NAMES: Record<number, string> = {
  0: 'F32',
  1: 'F16',
  2: 'Q4_0',
  3: 'Q4_1',
  6: 'Q5_0',
  7: 'Q5_1',
  8: 'Q8_0',
  9: 'Q8_1',
  10: 'Q2_K',
  11: 'Q3_K',
  12: 'Q4_K',
  13: 'Q5_K',
  14: 'Q6_K',
  15: 'Q8_K',
  16: 'IQ2_XXS',
  17: 'IQ2_XS',
  18: 'IQ3_XXS',
  19: 'IQ1_S',
  20: 'IQ4_NL',
  21: 'IQ3_S',
  22: 'IQ2_S',
  23: 'IQ4_XS',
  24: 'I8',
  25: 'I16',
  26: 'I32',
  27: 'I64',
  28: 'F64',
  29: 'IQ1_M',
  30: 'BF16',
  34: 'TQ1_0',
  35: 'TQ2_0',
  39: 'MXFP4',
};

/** The types this runtime decodes. */
export type GgmlType = 'F32' | 'F16' | 'Q8_0' | 'Q4_0';

/** Values per block and bytes per block of each decoded type. */
const LAYOUT: Record<GgmlType, { block: number; bytes: number }> = {
  F32: { block: 1, bytes: 4 },
  F16: { block: 1, bytes: 2 },
  Q8_0: { block: 32, bytes: 34 }, // f16 scale + 32 × int8
  Q4_0: { block: 32, bytes: 18 }, // f16 scale + 16 bytes of nibbles
};

/** Name of a ggml_type id ("type 99" when unknown). */
export function ggmlTypeName(id: number): string {
  return GGML_TYPE_NAMES[id] ?? `type ${id}`;
}

/** The decoded type for a ggml_type id, or UnsupportedQuantizationError naming it. */
export function supportedType(id: number, tensor: string): GgmlType {
  const name = ggmlTypeName(id);
  if (name in LAYOUT) return name as GgmlType;
  throw new UnsupportedQuantizationError(
    `tensor "${tensor}" is ${name}; this runtime reads F32, F16, Q8_0 and Q4_0 GGUF files. ` +
      'Re-quantise the model to Q8_0 or Q4_0 (llama.cpp: llama-quantize <in> <out> Q8_0).',
  );
}

/** Bytes of `count` values of `type`; `count` must fill whole blocks. */
export function typeBytes(type: GgmlType, count: number, tensor: string): number {
  const { block, bytes } = LAYOUT[type];
  if (count % block !== 0) {
    throw new UnsupportedQuantizationError(
      `tensor "${tensor}" has ${count} values, not a multiple of the ${type} block size ${block}`,
    );
  }
  return (count / block) * bytes;
}

/** IEEE half → number. */
export const f16ToF32 = halfBitsToFloat;

/** Decodes `count` values of `type` at `bytes[0..]` into f32. */
export function dequantize(type: GgmlType, bytes: Uint8Array, count: number): Float32Array {
  const out = new Float32Array(count); // [count]
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (type === 'F32') {
    new Uint8Array(out.buffer).set(bytes.subarray(0, count * 4));
  } else if (type === 'F16') {
    for (let i = 0; i < count; i++) out[i] = f16ToF32(view.getUint16(i * 2, true));
  } else if (type === 'Q8_0') {
    for (let b = 0; b < count / 32; b++) {
      const scale = f16ToF32(view.getUint16(b * 34, true));
      for (let j = 0; j < 32; j++) out[b * 32 + j] = view.getInt8(b * 34 + 2 + j) * scale;
    }
  } else {
    // Q4_0: byte j holds value j (low nibble) and value j + 16 (high nibble), both offset by 8.
    for (let b = 0; b < count / 32; b++) {
      const scale = f16ToF32(view.getUint16(b * 18, true));
      for (let j = 0; j < 16; j++) {
        const byte = bytes[b * 18 + 2 + j];
        out[b * 32 + j] = ((byte & 0x0f) - 8) * scale;
        out[b * 32 + j + 16] = ((byte >> 4) - 8) * scale;
      }
    }
  }
  return out;
}
