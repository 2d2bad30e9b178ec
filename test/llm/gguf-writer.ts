/**
 * A minimal GGUF v3 writer for tests: typed metadata values and raw tensor bytes, so reader tests
 * build exact files (and malformed variants) by hand.
 */

/** A metadata value with its GGUF type id (0..12); arrays give their element type. */
export type MetaValue =
  | { type: 0 | 1 | 2 | 3 | 4 | 5 | 6 | 12; value: number }
  | { type: 7; value: boolean }
  | { type: 8; value: string }
  | { type: 10 | 11; value: bigint }
  | { type: 9; itemType: number; items: MetaValue[] };

/** A tensor to write: GGUF ne order is the reverse of `shape`. */
export interface TensorSpec {
  name: string;
  shape: number[]; // row-major, e.g. [out, in]
  typeId: number;
  data: Uint8Array;
}

class Bytes {
  parts: number[] = [];
  u8(v: number) {
    this.parts.push(v & 0xff);
  }
  raw(b: Uint8Array) {
    for (const x of b) this.parts.push(x);
  }
  put(size: number, write: (view: DataView) => void) {
    const view = new DataView(new ArrayBuffer(size));
    write(view);
    this.raw(new Uint8Array(view.buffer));
  }
  u32(v: number) {
    this.put(4, (d) => d.setUint32(0, v, true));
  }
  u64(v: number | bigint) {
    this.put(8, (d) => d.setBigUint64(0, BigInt(v), true));
  }
  str(s: string) {
    const b = new TextEncoder().encode(s);
    this.u64(b.length);
    this.raw(b);
  }
}

function writeValue(out: Bytes, v: MetaValue): void {
  switch (v.type) {
    case 0:
      return out.u8(v.value);
    case 1:
      return out.put(1, (d) => d.setInt8(0, v.value));
    case 2:
      return out.put(2, (d) => d.setUint16(0, v.value, true));
    case 3:
      return out.put(2, (d) => d.setInt16(0, v.value, true));
    case 4:
      return out.u32(v.value);
    case 5:
      return out.put(4, (d) => d.setInt32(0, v.value, true));
    case 6:
      return out.put(4, (d) => d.setFloat32(0, v.value, true));
    case 7:
      return out.u8(v.value ? 1 : 0);
    case 8:
      return out.str(v.value);
    case 9:
      out.u32(v.itemType);
      out.u64(v.items.length);
      for (const item of v.items) writeValue(out, item);
      return;
    case 10:
      return out.put(8, (d) => d.setBigUint64(0, v.value, true));
    case 11:
      return out.put(8, (d) => d.setBigInt64(0, v.value, true));
    case 12:
      return out.put(8, (d) => d.setFloat64(0, v.value, true));
  }
}

/** Serialises a GGUF v3 file (alignment from metadata "general.alignment" if given, else 32). */
export function writeGguf(metadata: [string, MetaValue][], tensors: TensorSpec[], version = 3): Uint8Array {
  const out = new Bytes();
  out.raw(new TextEncoder().encode('GGUF'));
  out.u32(version);
  out.u64(tensors.length);
  out.u64(metadata.length);
  for (const [key, value] of metadata) {
    out.str(key);
    out.u32(value.type);
    writeValue(out, value);
  }
  const alignEntry = metadata.find(([k]) => k === 'general.alignment')?.[1];
  const alignment = alignEntry && 'value' in alignEntry ? Number(alignEntry.value) : 32;
  let offset = 0;
  const offsets = tensors.map((t) => {
    const at = offset;
    offset = Math.ceil((offset + t.data.length) / alignment) * alignment;
    return at;
  });
  tensors.forEach((t, i) => {
    out.str(t.name);
    out.u32(t.shape.length);
    for (const d of [...t.shape].reverse()) out.u64(d);
    out.u32(t.typeId);
    out.u64(offsets[i]);
  });
  while (out.parts.length % alignment !== 0) out.u8(0);
  const start = out.parts.length;
  tensors.forEach((t, i) => {
    while (out.parts.length < start + offsets[i]) out.u8(0);
    out.raw(t.data);
  });
  return Uint8Array.from(out.parts);
}

/** f32 values as little-endian bytes. */
export function f32Bytes(values: ArrayLike<number>): Uint8Array {
  return new Uint8Array(Float32Array.from(values).buffer);
}

/** Shorthands for metadata values. */
export const meta = {
  u32: (value: number): MetaValue => ({ type: 4, value }),
  f32: (value: number): MetaValue => ({ type: 6, value }),
  str: (value: string): MetaValue => ({ type: 8, value }),
  strings: (items: string[]): MetaValue => ({
    type: 9,
    itemType: 8,
    items: items.map((value) => ({ type: 8, value })),
  }),
  f32s: (items: number[]): MetaValue => ({
    type: 9,
    itemType: 6,
    items: items.map((value) => ({ type: 6, value })),
  }),
  i32s: (items: number[]): MetaValue => ({
    type: 9,
    itemType: 5,
    items: items.map((value) => ({ type: 5, value })),
  }),
};
