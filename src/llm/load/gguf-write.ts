/**
 * GGUF v3 writer: the inverse of gguf.ts. Metadata of every GGUF value type (arrays, nested
 * arrays included), tensor infos, `general.alignment` padding, and tensor data already encoded
 * in its ggml type (F32, F16, Q8_0, Q4_0; see ../quant.ts `encodeTensor`). The output is what
 * llama.cpp and @huggingface/gguf read:
 *   "GGUF" · u32 3 · u64 tensor_count · u64 kv_count · kv… · tensor_info… · pad · data (each
 *   tensor at an offset, relative to the data section, that is a multiple of the alignment).
 */
import { typeBytes, type GgmlType } from './gguf-types.ts';

/** The writer was given something GGUF cannot hold (wrong value type, bad alignment, bad sizes). */
export class GgufWriteError extends Error {
  override readonly name = 'GgufWriteError';
}

/** GGUF metadata value types by name → on-disk id. */
export const GGUF_VALUE_TYPES = {
  u8: 0,
  i8: 1,
  u16: 2,
  i16: 3,
  u32: 4,
  i32: 5,
  f32: 6,
  bool: 7,
  string: 8,
  array: 9,
  u64: 10,
  i64: 11,
  f64: 12,
} as const;

/** A GGUF value type name. */
export type GgufValueTypeName = keyof typeof GGUF_VALUE_TYPES;
/** GGUF number types whose values are JS numbers. */
export type NumberTypeName = 'u8' | 'i8' | 'u16' | 'i16' | 'u32' | 'i32' | 'f32' | 'f64';

/** One metadata value with its GGUF type (arrays: item type + items of that type). */
export type GgufMetaValue =
  | { type: NumberTypeName; value: number }
  | { type: 'u64' | 'i64'; value: bigint }
  | { type: 'bool'; value: boolean }
  | { type: 'string'; value: string }
  | { type: 'array'; itemType: NumberTypeName; items: ArrayLike<number> }
  | { type: 'array'; itemType: 'u64' | 'i64'; items: ArrayLike<bigint> }
  | { type: 'array'; itemType: 'bool'; items: readonly boolean[] }
  | { type: 'array'; itemType: 'string'; items: readonly string[] }
  | { type: 'array'; itemType: 'array'; items: readonly GgufMetaValue[] };

/** A tensor to write: row-major `shape` (GGUF's ne is its reverse) and its encoded bytes. */
export interface GgufTensorToWrite {
  name: string;
  shape: readonly number[];
  type: GgmlType;
  bytes: Uint8Array; // [typeBytes(type, product of shape)]
}

/** ggml_type ids of the types we write. */
export const GGML_TYPE_IDS: Record<GgmlType, number> = { F32: 0, F16: 1, Q4_0: 2, Q8_0: 8 };

const INT_RANGES: Partial<Record<GgufValueTypeName, [number, number]>> = {
  u8: [0, 0xff],
  i8: [-0x80, 0x7f],
  u16: [0, 0xffff],
  i16: [-0x8000, 0x7fff],
  u32: [0, 0xffffffff],
  i32: [-0x80000000, 0x7fffffff],
};

const encoder = new TextEncoder();

/** Growable little-endian output buffer. */
class ByteSink {
  bytes = new Uint8Array(1 << 16);
  view = new DataView(this.bytes.buffer);
  length = 0;

  #reserve(n: number): number {
    if (this.length + n > this.bytes.length) {
      const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.length + n));
      grown.set(this.bytes.subarray(0, this.length));
      this.bytes = grown;
      this.view = new DataView(grown.buffer);
    }
    const at = this.length;
    this.length += n;
    return at;
  }

  raw(b: Uint8Array): void {
    const at = this.#reserve(b.length); // may replace this.bytes: reserve first
    this.bytes.set(b, at);
  }

  padTo(alignment: number): void {
    this.#reserve((alignment - (this.length % alignment)) % alignment);
  }

  number(type: NumberTypeName, value: number, key: string): void {
    if (typeof value !== 'number')
      throw new GgufWriteError(`metadata "${key}": ${type} value ${String(value)} is not a number`);
    const range = INT_RANGES[type];
    if (range && (!Number.isInteger(value) || value < range[0] || value > range[1])) {
      throw new GgufWriteError(`metadata "${key}": ${value} does not fit ${type} (${range[0]}..${range[1]})`);
    }
    const size = { u8: 1, i8: 1, u16: 2, i16: 2, u32: 4, i32: 4, f32: 4, f64: 8 }[type];
    const at = this.#reserve(size);
    const v = this.view;
    if (type === 'u8') v.setUint8(at, value);
    else if (type === 'i8') v.setInt8(at, value);
    else if (type === 'u16') v.setUint16(at, value, true);
    else if (type === 'i16') v.setInt16(at, value, true);
    else if (type === 'u32') v.setUint32(at, value, true);
    else if (type === 'i32') v.setInt32(at, value, true);
    else if (type === 'f32') v.setFloat32(at, value, true);
    else v.setFloat64(at, value, true);
  }

  big(type: 'u64' | 'i64', value: bigint | number, key: string): void {
    if (typeof value !== 'bigint')
      throw new GgufWriteError(`metadata "${key}": ${type} value ${String(value)} must be a bigint`);
    const ok = type === 'u64' ? value >= 0n && value < 1n << 64n : value >= -(1n << 63n) && value < 1n << 63n;
    if (!ok) throw new GgufWriteError(`metadata "${key}": ${value} does not fit ${type}`);
    const at = this.#reserve(8);
    if (type === 'u64') this.view.setBigUint64(at, value, true);
    else this.view.setBigInt64(at, value, true);
  }

  string(s: string): void {
    const b = encoder.encode(s);
    this.big('u64', BigInt(b.length), 'string length');
    this.raw(b);
  }
}

/** Writes one item of GGUF type `type` (no type tag). */
function writeItem(out: ByteSink, type: GgufValueTypeName, item: unknown, key: string): void {
  if (type === 'string') {
    if (typeof item !== 'string')
      throw new GgufWriteError(`metadata "${key}": expected a string, got ${typeof item}`);
    out.string(item);
  } else if (type === 'bool') {
    if (typeof item !== 'boolean')
      throw new GgufWriteError(`metadata "${key}": expected a boolean, got ${typeof item}`);
    out.raw(Uint8Array.of(item ? 1 : 0));
  } else if (type === 'u64' || type === 'i64') {
    out.big(type, item as bigint, key);
  } else if (type === 'array') {
    const value = item as GgufMetaValue;
    if (value?.type !== 'array') throw new GgufWriteError(`metadata "${key}": expected a nested array value`);
    writeArrayBody(out, value, key);
  } else {
    out.number(type, item as number, key);
  }
}

function writeArrayBody(out: ByteSink, value: Extract<GgufMetaValue, { type: 'array' }>, key: string): void {
  if (!(value.itemType in GGUF_VALUE_TYPES))
    throw new GgufWriteError(`metadata "${key}": unknown array item type "${value.itemType}"`);
  out.number('u32', GGUF_VALUE_TYPES[value.itemType], key);
  out.big('u64', BigInt(value.items.length), key);
  for (let i = 0; i < value.items.length; i++) writeItem(out, value.itemType, value.items[i], `${key}[${i}]`);
}

function writeValue(out: ByteSink, key: string, value: GgufMetaValue): void {
  if (!(value.type in GGUF_VALUE_TYPES))
    throw new GgufWriteError(`metadata "${key}": unknown value type "${value.type}"`);
  out.number('u32', GGUF_VALUE_TYPES[value.type], key);
  if (value.type === 'array') writeArrayBody(out, value, key);
  else writeItem(out, value.type, value.value, key);
}

/** Alignment from the options, else metadata `general.alignment` (u32), else 32. */
function alignmentOf(metadata: readonly (readonly [string, GgufMetaValue])[], requested?: number): number {
  const entry = metadata.find(([key]) => key === 'general.alignment')?.[1];
  const fromMeta = entry && entry.type !== 'array' ? Number(entry.value) : undefined;
  if (requested !== undefined && fromMeta !== undefined && requested !== fromMeta) {
    throw new GgufWriteError(
      `alignment ${requested} disagrees with metadata general.alignment = ${fromMeta}`,
    );
  }
  const alignment = requested ?? fromMeta ?? 32;
  if (
    !Number.isInteger(alignment) ||
    alignment < 1 ||
    alignment > 1 << 16 ||
    (alignment & (alignment - 1)) !== 0
  ) {
    throw new GgufWriteError(
      `alignment ${alignment} must be a power of two in 1..65536 (GGUF's default is 32)`,
    );
  }
  return alignment;
}

/**
 * Serialises a GGUF v3 file. `metadata` keeps its order; when `alignment` is given and differs
 * from 32, `general.alignment` is added (u32). Tensor bytes are checked against type and shape.
 */
export function writeGguf(
  metadata: readonly (readonly [string, GgufMetaValue])[],
  tensors: readonly GgufTensorToWrite[],
  options: { alignment?: number } = {},
): Uint8Array {
  const alignment = alignmentOf(metadata, options.alignment);
  const entries = [...metadata];
  if (alignment !== 32 && !entries.some(([key]) => key === 'general.alignment')) {
    entries.push(['general.alignment', { type: 'u32', value: alignment }]);
  }
  const keys = new Set<string>();
  for (const [key] of entries) {
    if (keys.has(key)) throw new GgufWriteError(`metadata key "${key}" appears twice`);
    keys.add(key);
  }
  const out = new ByteSink();
  out.raw(encoder.encode('GGUF'));
  out.number('u32', 3, 'version');
  out.big('u64', BigInt(tensors.length), 'tensor count');
  out.big('u64', BigInt(entries.length), 'metadata count');
  for (const [key, value] of entries) {
    out.string(key);
    writeValue(out, key, value);
  }
  let offset = 0;
  const names = new Set<string>();
  const offsets = tensors.map((t) => {
    if (names.has(t.name)) throw new GgufWriteError(`tensor "${t.name}" appears twice`);
    names.add(t.name);
    if (t.shape.length < 1 || t.shape.length > 4 || !t.shape.every((d) => Number.isInteger(d) && d >= 1)) {
      throw new GgufWriteError(
        `tensor "${t.name}" shape [${t.shape.join(', ')}]: expected 1..4 positive dimensions`,
      );
    }
    const want = typeBytes(
      t.type,
      t.shape.reduce((a, b) => a * b, 1),
      t.name,
    );
    if (t.bytes.byteLength !== want) {
      throw new GgufWriteError(
        `tensor "${t.name}" has ${t.bytes.byteLength} bytes; ${t.type} [${t.shape.join(', ')}] needs ${want}`,
      );
    }
    const at = offset;
    offset = Math.ceil((offset + want) / alignment) * alignment;
    return at;
  });
  tensors.forEach((t, i) => {
    out.string(t.name);
    out.number('u32', t.shape.length, t.name);
    for (const d of [...t.shape].reverse()) out.big('u64', BigInt(d), t.name);
    out.number('u32', GGML_TYPE_IDS[t.type], t.name);
    out.big('u64', BigInt(offsets[i]), t.name);
  });
  out.padTo(alignment);
  tensors.forEach((t) => {
    out.raw(t.bytes);
    out.padTo(alignment);
  });
  return out.bytes.slice(0, out.length);
}
