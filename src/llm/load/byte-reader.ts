/**
 * A bounds-checked little-endian cursor over a byte array, shared by the GGUF, llama2.c and
 * tokenizer readers. Every read that would run past the end throws the caller's error type with
 * the offset, so a truncated file fails at once instead of yielding garbage.
 */

/** Builds the named error a reader throws (e.g. GgufFormatError). */
export type ErrorFactory = (message: string) => Error;

const utf8 = new TextDecoder('utf-8');

/** Sequential reader; `offset` is the next unread byte. */
export class ByteReader {
  readonly view: DataView;
  offset = 0;

  constructor(
    readonly bytes: Uint8Array,
    private readonly fail: ErrorFactory,
    private readonly what: string,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Bytes left after `offset`. */
  get remaining(): number {
    return this.bytes.byteLength - this.offset;
  }

  /** Throws unless `count` more bytes exist; returns the current offset and advances past them. */
  take(count: number, reading: string): number {
    if (!Number.isSafeInteger(count) || count < 0 || count > this.remaining) {
      throw this.fail(
        `${this.what} is truncated or corrupt: ${reading} needs ${count} bytes at offset ${this.offset}, ` +
          `but only ${this.remaining} remain (file size ${this.bytes.byteLength})`,
      );
    }
    const at = this.offset;
    this.offset += count;
    return at;
  }

  u8(reading: string): number {
    return this.view.getUint8(this.take(1, reading));
  }

  i8(reading: string): number {
    return this.view.getInt8(this.take(1, reading));
  }

  u16(reading: string): number {
    return this.view.getUint16(this.take(2, reading), true);
  }

  i16(reading: string): number {
    return this.view.getInt16(this.take(2, reading), true);
  }

  u32(reading: string): number {
    return this.view.getUint32(this.take(4, reading), true);
  }

  i32(reading: string): number {
    return this.view.getInt32(this.take(4, reading), true);
  }

  f32(reading: string): number {
    return this.view.getFloat32(this.take(4, reading), true);
  }

  f64(reading: string): number {
    return this.view.getFloat64(this.take(8, reading), true);
  }

  u64(reading: string): bigint {
    return this.view.getBigUint64(this.take(8, reading), true);
  }

  i64(reading: string): bigint {
    return this.view.getBigInt64(this.take(8, reading), true);
  }

  /** A u64 that must fit a safe integer ≤ `max` (counts, lengths, offsets). */
  count(reading: string, max: number): number {
    const value = this.u64(reading);
    if (value > BigInt(max)) {
      throw this.fail(
        `${this.what}: ${reading} = ${value} is absurd (at most ${max} expected); the file is corrupt`,
      );
    }
    return Number(value);
  }

  /** `length` bytes decoded as UTF-8. */
  utf8(length: number, reading: string): string {
    const at = this.take(length, reading);
    return utf8.decode(this.bytes.subarray(at, at + length));
  }

  /** `count` f32 values copied into a new array. */
  f32Array(count: number, reading: string): Float32Array {
    const at = this.take(count * 4, reading);
    return copyF32(this.bytes, at, count);
  }
}

/** `count` little-endian f32 values starting at byte `at` (copied; alignment not required). */
export function copyF32(bytes: Uint8Array, at: number, count: number): Float32Array {
  const out = new Float32Array(count); // [count]
  new Uint8Array(out.buffer).set(bytes.subarray(at, at + count * 4));
  return out;
}
