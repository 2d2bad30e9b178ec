/**
 * GGUF container reader (versions 2 and 3): header, metadata key/values of every type (arrays
 * included), tensor infos and the aligned tensor-data section. Only the header is parsed here;
 * tensor data is decoded on request by `readGgufTensor`. Layout (little-endian):
 *   "GGUF" · u32 version · u64 tensor_count · u64 kv_count · kv[kv_count] · tensor_info[tensor_count]
 *   · padding to `general.alignment` (default 32) · tensor data (offsets relative to its start).
 * Strings are u64 length + UTF-8 bytes. GGUF v1 (u32 counts) is refused.
 */
import { ByteReader } from './byte-reader.ts';
import { GgufFormatError } from './errors.ts';
import { dequantize, ggmlTypeName, supportedType, typeBytes } from './gguf-types.ts';

/** A metadata value: scalars, strings, typed arrays for numeric arrays, plain arrays otherwise. */
export type GgufValue =
  | number
  | bigint
  | boolean
  | string
  | Uint8Array
  | Int8Array
  | Uint16Array
  | Int16Array
  | Uint32Array
  | Int32Array
  | Float32Array
  | Float64Array
  | BigUint64Array
  | BigInt64Array
  | GgufValue[];

/** One tensor's description; `shape` is row-major (GGUF's ne reversed), e.g. [out, in]. */
export interface GgufTensorInfo {
  name: string;
  shape: number[];
  /** ggml_type id */
  typeId: number;
  /** absolute byte offset of the data in the file */
  offset: number;
  /** number of values */
  count: number;
}

/** A parsed GGUF header. */
export interface GgufFile {
  version: number;
  metadata: Map<string, GgufValue>;
  /** on-disk value type id (0..12) of each metadata key, so a writer can keep u32 vs f32 etc. */
  metadataTypes: Map<string, number>;
  tensors: Map<string, GgufTensorInfo>;
  /** absolute offset of the tensor-data section */
  dataOffset: number;
}

const MAGIC = 0x46554747; // "GGUF" read as a little-endian u32
/** Caps that no real model reaches; larger values mean a corrupt file. */
const MAX_TENSORS = 1 << 20;
const MAX_KV = 1 << 20;
const MAX_DIMS = 4;

const fail = (message: string) => new GgufFormatError(message);

/** GGUF metadata value types (u32 on disk) → minimum bytes per element (for array sanity checks). */
const MIN_BYTES: Record<number, number> = {
  0: 1,
  1: 1,
  2: 2,
  3: 2,
  4: 4,
  5: 4,
  6: 4,
  7: 1,
  8: 8,
  9: 12,
  10: 8,
  11: 8,
  12: 8,
};

function readString(r: ByteReader, reading: string): string {
  return r.utf8(r.count(`${reading} length`, r.remaining), reading);
}

function readScalar(r: ByteReader, type: number, key: string): GgufValue {
  switch (type) {
    case 0:
      return r.u8(key);
    case 1:
      return r.i8(key);
    case 2:
      return r.u16(key);
    case 3:
      return r.i16(key);
    case 4:
      return r.u32(key);
    case 5:
      return r.i32(key);
    case 6:
      return r.f32(key);
    case 7:
      return r.u8(key) !== 0;
    case 8:
      return readString(r, key);
    case 9:
      return readArray(r, key);
    case 10:
      return r.u64(key);
    case 11:
      return r.i64(key);
    case 12:
      return r.f64(key);
    default:
      throw fail(`metadata "${key}" has value type ${type} at offset ${r.offset - 4}; GGUF defines 0..12`);
  }
}

const TYPED: Record<number, (n: number) => { [i: number]: number | bigint; length: number }> = {
  0: (n) => new Uint8Array(n),
  1: (n) => new Int8Array(n),
  2: (n) => new Uint16Array(n),
  3: (n) => new Int16Array(n),
  4: (n) => new Uint32Array(n),
  5: (n) => new Int32Array(n),
  6: (n) => new Float32Array(n),
  10: (n) => new BigUint64Array(n),
  11: (n) => new BigInt64Array(n),
  12: (n) => new Float64Array(n),
};

function readArray(r: ByteReader, key: string): GgufValue {
  const itemType = r.u32(`${key} array type`);
  const minBytes = MIN_BYTES[itemType];
  if (minBytes === undefined) throw fail(`metadata "${key}" is an array of unknown type ${itemType}`);
  const length = r.count(`${key} array length`, Math.floor(r.remaining / minBytes));
  const make = TYPED[itemType];
  if (make) {
    const out = make(length);
    for (let i = 0; i < length; i++) out[i] = readScalar(r, itemType, key) as number & bigint;
    return out as GgufValue;
  }
  return Array.from({ length }, () => readScalar(r, itemType, key));
}

function readTensorInfo(r: ByteReader, index: number): Omit<GgufTensorInfo, 'offset'> & { relative: number } {
  const name = readString(r, `tensor ${index} name`);
  const dims = r.u32(`tensor "${name}" dimension count`);
  if (dims < 1 || dims > MAX_DIMS)
    throw fail(`tensor "${name}" has ${dims} dimensions; expected 1..${MAX_DIMS}`);
  const ne = Array.from({ length: dims }, () =>
    r.count(`tensor "${name}" dimension`, Number.MAX_SAFE_INTEGER),
  );
  const count = ne.reduce((a, b) => a * b, 1);
  if (!Number.isSafeInteger(count)) throw fail(`tensor "${name}" has absurd dimensions [${ne.join(', ')}]`);
  const typeId = r.u32(`tensor "${name}" type`);
  const relative = r.count(`tensor "${name}" offset`, Number.MAX_SAFE_INTEGER);
  return { name, shape: ne.reverse(), typeId, count, relative };
}

/** Parses the header of a GGUF file (the whole file, or at least everything up to the data). */
export function parseGguf(bytes: Uint8Array): GgufFile {
  const r = new ByteReader(bytes, fail, 'GGUF file');
  const magic = r.u32('magic');
  if (magic !== MAGIC) {
    const seen = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
    throw fail(`not a GGUF file: the first bytes are ${seen}, expected "GGUF" (47 47 55 46)`);
  }
  const version = r.u32('version');
  if (version !== 2 && version !== 3) {
    throw fail(
      `GGUF version ${version} is not supported; expected 2 or 3 (re-convert with a current llama.cpp)`,
    );
  }
  const tensorCount = r.count('tensor count', MAX_TENSORS);
  const kvCount = r.count('metadata count', MAX_KV);
  const metadata = new Map<string, GgufValue>();
  const metadataTypes = new Map<string, number>();
  for (let i = 0; i < kvCount; i++) {
    const key = readString(r, `metadata key ${i}`);
    const type = r.u32(`metadata "${key}" type`);
    metadata.set(key, readScalar(r, type, key));
    metadataTypes.set(key, type);
  }
  const infos = Array.from({ length: tensorCount }, (_, i) => readTensorInfo(r, i));
  const alignment = Number(metadata.get('general.alignment') ?? 32);
  if (!Number.isInteger(alignment) || alignment < 1 || alignment > 1 << 16) {
    throw fail(
      `general.alignment = ${String(metadata.get('general.alignment'))}; expected a small power of two`,
    );
  }
  const dataOffset = Math.ceil(r.offset / alignment) * alignment;
  const tensors = new Map<string, GgufTensorInfo>();
  for (const { relative, ...info } of infos) {
    if (relative % alignment !== 0) {
      throw fail(`tensor "${info.name}" data offset ${relative} is not aligned to ${alignment}`);
    }
    if (tensors.has(info.name)) throw fail(`tensor "${info.name}" appears twice`);
    tensors.set(info.name, { ...info, offset: dataOffset + relative });
  }
  return { version, metadata, metadataTypes, tensors, dataOffset };
}

/** Decodes one tensor to f32 (dequantising Q8_0 / Q4_0 / F16); checks it lies inside `bytes`. */
export function readGgufTensor(file: GgufFile, bytes: Uint8Array, name: string): Float32Array {
  const info = file.tensors.get(name);
  if (!info) throw fail(`tensor "${name}" is missing from the GGUF file`);
  const type = supportedType(info.typeId, name);
  const size = typeBytes(type, info.count, name);
  if (info.offset + size > bytes.byteLength) {
    throw fail(
      `GGUF file is truncated: tensor "${name}" (${ggmlTypeName(info.typeId)}, ${size} bytes at ${info.offset}) ` +
        `ends past the file size ${bytes.byteLength}`,
    );
  }
  return dequantize(type, bytes.subarray(info.offset, info.offset + size), info.count);
}
