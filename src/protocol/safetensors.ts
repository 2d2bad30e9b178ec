/**
 * safetensors reader and writer (https://github.com/huggingface/safetensors format):
 * `u64 LE header length N` · `N bytes of JSON header` · `data`. The header maps tensor names to
 * `{dtype, shape, data_offsets: [begin, end]}` (offsets relative to the start of the data) plus an
 * optional `__metadata__` string map. We read F32, F16 and BF16 (all returned as f32) and write any of them.
 *
 * Assumes a little-endian host (every browser engine and Node on x86/ARM).
 */
import { floatToHalfBits, halfBitsToFloat } from './half.ts';

/** A safetensors file is truncated, corrupt, or uses something this reader does not support. */
export class SafetensorsFormatError extends Error {
  override name = 'SafetensorsFormatError';
}

/** Element types this reader understands. */
export type SafetensorsDtype = 'F32' | 'F16' | 'BF16';

const BYTES_PER_ELEMENT: Record<SafetensorsDtype, number> = { F32: 4, F16: 2, BF16: 2 };

/** Largest JSON header we accept (the reference implementation's limit): guards absurd lengths. */
export const MAX_HEADER_BYTES = 100_000_000;

/** One tensor's location inside a parsed file. */
export interface SafetensorsEntry {
  readonly name: string;
  readonly dtype: SafetensorsDtype;
  readonly shape: readonly number[];
  /** absolute byte offset of the tensor's first byte in the file */
  readonly byteOffset: number;
  readonly byteLength: number;
}

/** A parsed file: entries are validated up front, tensor data is decoded on demand. */
export class SafetensorsFile {
  /** Tensor entries in header order. */
  readonly entries: ReadonlyMap<string, SafetensorsEntry>;
  /** The optional `__metadata__` map (empty when absent). */
  readonly metadata: Readonly<Record<string, string>>;
  private readonly bytes: Uint8Array; // [file bytes]

  /** Use `parseSafetensors`; this constructor trusts already validated entries. */
  constructor(bytes: Uint8Array, entries: Map<string, SafetensorsEntry>, metadata: Record<string, string>) {
    this.bytes = bytes;
    this.entries = entries;
    this.metadata = metadata;
  }

  /** Whether a tensor with this name exists. */
  has(name: string): boolean {
    return this.entries.has(name);
  }

  /** The tensor's values as a fresh f32 array (row-major, length = product of shape). */
  tensor(name: string): Float32Array {
    const entry = this.entries.get(name);
    if (!entry) {
      throw new SafetensorsFormatError(
        `tensor "${name}" is not in this safetensors file; it holds: ${[...this.entries.keys()].join(', ')}`,
      );
    }
    // a fresh, aligned copy (not `.slice().buffer`: a Node Buffer's slice is a view into a shared pool)
    const raw = new Uint8Array(this.bytes.subarray(entry.byteOffset, entry.byteOffset + entry.byteLength))
      .buffer;
    if (entry.dtype === 'F32') return new Float32Array(raw);
    return entry.dtype === 'F16' ? f16ToF32(new Uint16Array(raw)) : bf16ToF32(new Uint16Array(raw));
  }
}

/** Parse and validate a safetensors file; throws SafetensorsFormatError on any inconsistency. */
export function parseSafetensors(file: ArrayBuffer | Uint8Array): SafetensorsFile {
  const bytes = file instanceof Uint8Array ? file : new Uint8Array(file); // [file bytes]
  if (bytes.length < 8) {
    throw new SafetensorsFormatError(
      `file is ${bytes.length} bytes; a safetensors file starts with an 8-byte header length (truncated download?)`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getBigUint64(0, true);
  if (headerLength > BigInt(MAX_HEADER_BYTES)) {
    throw new SafetensorsFormatError(
      `header length ${headerLength} exceeds the ${MAX_HEADER_BYTES}-byte limit; this is not a safetensors file or it is corrupt`,
    );
  }
  const dataStart = 8 + Number(headerLength);
  if (dataStart > bytes.length) {
    throw new SafetensorsFormatError(
      `header claims ${headerLength} bytes but only ${bytes.length - 8} follow; the file is truncated`,
    );
  }
  const header = parseHeaderJson(bytes.subarray(8, dataStart));
  const dataLength = bytes.length - dataStart;
  let metadata: Record<string, string> = {};
  const entries = new Map<string, SafetensorsEntry>();
  for (const [name, value] of Object.entries(header)) {
    if (name === '__metadata__') {
      metadata = validateMetadata(value);
      continue;
    }
    const entry = validateEntry(name, value, dataLength);
    entries.set(name, { ...entry, byteOffset: dataStart + entry.byteOffset });
  }
  checkNoOverlap([...entries.values()]);
  return new SafetensorsFile(bytes, entries, metadata);
}

function parseHeaderJson(headerBytes: Uint8Array): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(headerBytes));
  } catch (cause) {
    throw new SafetensorsFormatError(
      `header is not valid UTF-8 JSON (${(cause as Error).message}); the file is corrupt or not safetensors`,
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new SafetensorsFormatError(
      'header must be a JSON object mapping tensor names to {dtype, shape, data_offsets}',
    );
  }
  return parsed as Record<string, unknown>;
}

function validateMetadata(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new SafetensorsFormatError('__metadata__ must be an object of string values');
  }
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== 'string')
      throw new SafetensorsFormatError(`__metadata__.${key} must be a string, got ${typeof v}`);
  }
  return value as Record<string, string>;
}

function isNonNegativeInt(x: unknown): x is number {
  return typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
}

function validateEntry(name: string, value: unknown, dataLength: number): SafetensorsEntry {
  const where = `tensor "${name}"`;
  if (typeof value !== 'object' || value === null)
    throw new SafetensorsFormatError(`${where}: expected {dtype, shape, data_offsets}`);
  const { dtype, shape, data_offsets: offsets } = value as Record<string, unknown>;
  if (dtype !== 'F32' && dtype !== 'F16' && dtype !== 'BF16') {
    throw new SafetensorsFormatError(
      `${where}: dtype ${JSON.stringify(dtype)} is not supported; convert the weights to F32, F16 or BF16`,
    );
  }
  if (!Array.isArray(shape) || !shape.every(isNonNegativeInt)) {
    throw new SafetensorsFormatError(
      `${where}: shape must be an array of non-negative integers, got ${JSON.stringify(shape)}`,
    );
  }
  if (
    !Array.isArray(offsets) ||
    offsets.length !== 2 ||
    !offsets.every(isNonNegativeInt) ||
    offsets[0] > offsets[1]
  ) {
    throw new SafetensorsFormatError(
      `${where}: data_offsets must be [begin, end] with 0 ≤ begin ≤ end, got ${JSON.stringify(offsets)}`,
    );
  }
  const [begin, end] = offsets as [number, number];
  if (end > dataLength) {
    throw new SafetensorsFormatError(
      `${where}: data ends at byte ${end} but the data section has ${dataLength} bytes; the file is truncated`,
    );
  }
  const elements = (shape as number[]).reduce((a, b) => a * b, 1);
  const expected = elements * BYTES_PER_ELEMENT[dtype];
  if (end - begin !== expected) {
    throw new SafetensorsFormatError(
      `${where}: shape [${shape.join(', ')}] of ${dtype} needs ${expected} bytes but data_offsets span ${end - begin}`,
    );
  }
  return { name, dtype, shape: shape as number[], byteOffset: begin, byteLength: end - begin };
}

function checkNoOverlap(entries: SafetensorsEntry[]): void {
  const sorted = entries.filter((e) => e.byteLength > 0).sort((a, b) => a.byteOffset - b.byteOffset);
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1];
    if (sorted[i].byteOffset < prev.byteOffset + prev.byteLength) {
      throw new SafetensorsFormatError(
        `tensors "${prev.name}" and "${sorted[i].name}" overlap; the header is corrupt`,
      );
    }
  }
}

/** A tensor to write: f32 values plus the dtype to store them as (default F32). */
export interface SafetensorsInput {
  name: string;
  shape: readonly number[];
  data: Float32Array; // [product of shape]
  dtype?: SafetensorsDtype;
}

/** Serialise tensors (in the given order, 8-byte aligned data section) into safetensors bytes. */
export function writeSafetensors(
  tensors: readonly SafetensorsInput[],
  metadata?: Record<string, string>,
): Uint8Array {
  const header: Record<string, unknown> = metadata ? { __metadata__: metadata } : {};
  const payloads: Uint8Array[] = [];
  let offset = 0;
  for (const t of tensors) {
    const elements = t.shape.reduce((a, b) => a * b, 1);
    if (elements !== t.data.length) {
      throw new SafetensorsFormatError(
        `tensor "${t.name}": shape [${t.shape.join(', ')}] needs ${elements} values, got ${t.data.length}`,
      );
    }
    const dtype = t.dtype ?? 'F32';
    const encoded = { F32: () => t.data.slice(), F16: () => f32ToF16(t.data), BF16: () => f32ToBf16(t.data) };
    const payload = new Uint8Array(encoded[dtype]().buffer);
    header[t.name] = { dtype, shape: [...t.shape], data_offsets: [offset, offset + payload.length] };
    payloads.push(payload);
    offset += payload.length;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((8 + json.length) % 8)) % 8); // pad with spaces so data starts 8-aligned
  const headerBytes = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + headerBytes.length + offset); // [file bytes]
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const p of payloads) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** IEEE half → single precision, element-wise. */
export function f16ToF32(half: Uint16Array): Float32Array {
  return Float32Array.from(half, halfBitsToFloat); // [n]
}

/** Single → half precision (round to nearest even; overflow → ±Infinity), element-wise. */
export function f32ToF16(values: Float32Array): Uint16Array {
  return Uint16Array.from(values, floatToHalfBits); // [n]
}

/** bfloat16 (the top 16 bits of an f32) → single precision, element-wise. */
export function bf16ToF32(values: Uint16Array): Float32Array {
  const bits = Uint32Array.from(values, (b) => b << 16); // [n]
  return new Float32Array(bits.buffer);
}

/** Single precision → bfloat16 (round to nearest even; NaN stays NaN), element-wise. */
export function f32ToBf16(values: Float32Array): Uint16Array {
  const bits = new Uint32Array(Float32Array.from(values).buffer); // [n]
  return Uint16Array.from(bits, (b) =>
    (b & 0x7fffffff) > 0x7f800000 ? (b >>> 16) | 0x40 : (b + 0x7fff + ((b >>> 16) & 1)) >>> 16,
  );
}
