/**
 * Metadata read by gguf.ts turned back into typed values for the GGUF writer, so a model can be
 * re-written (quantised, merged) with its metadata unchanged: scalars take their on-disk type id
 * (`GgufFile.metadataTypes`), numeric arrays the type of their typed array.
 */
import type { GgufFile, GgufValue } from './gguf.ts';
import {
  GGUF_VALUE_TYPES,
  GgufWriteError,
  type GgufMetaValue,
  type GgufValueTypeName,
  type NumberTypeName,
} from './gguf-write.ts';

const TYPED_ITEM_TYPES: [new (n: number) => ArrayLike<number | bigint>, GgufValueTypeName][] = [
  [Uint8Array, 'u8'],
  [Int8Array, 'i8'],
  [Uint16Array, 'u16'],
  [Int16Array, 'i16'],
  [Uint32Array, 'u32'],
  [Int32Array, 'i32'],
  [Float32Array, 'f32'],
  [Float64Array, 'f64'],
  [BigUint64Array, 'u64'],
  [BigInt64Array, 'i64'],
];

const TYPE_NAMES = Object.fromEntries(Object.entries(GGUF_VALUE_TYPES).map(([k, v]) => [v, k])) as Record<
  number,
  GgufValueTypeName
>;

/** A value read by gguf.ts as a writable value; `typeId` is its on-disk type (scalars need it). */
export function toMetaValue(value: GgufValue, typeId: number | undefined, key: string): GgufMetaValue {
  const named = typeId === undefined ? undefined : TYPE_NAMES[typeId];
  if (ArrayBuffer.isView(value)) {
    const itemType = TYPED_ITEM_TYPES.find(([ctor]) => value instanceof ctor)?.[1];
    if (!itemType) throw new GgufWriteError(`metadata "${key}": unsupported typed array`);
    return { type: 'array', itemType, items: value } as GgufMetaValue;
  }
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v === 'string'))
      return { type: 'array', itemType: 'string', items: value as string[] };
    if (value.every((v) => typeof v === 'boolean'))
      return { type: 'array', itemType: 'bool', items: value as boolean[] };
    return {
      type: 'array',
      itemType: 'array',
      items: value.map((v, i) => toMetaValue(v, GGUF_VALUE_TYPES.array, `${key}[${i}]`)),
    };
  }
  if (typeof value === 'string') return { type: 'string', value };
  if (typeof value === 'boolean') return { type: 'bool', value };
  if (typeof value === 'bigint') return { type: named === 'i64' ? 'i64' : 'u64', value };
  const numberType =
    named && !['bool', 'string', 'array', 'u64', 'i64'].includes(named)
      ? named
      : Number.isInteger(value)
        ? 'i32'
        : 'f32';
  return { type: numberType as NumberTypeName, value };
}

/** Every metadata entry of a parsed file, in file order, with its original types. */
export function metadataForWriting(file: GgufFile): [string, GgufMetaValue][] {
  return [...file.metadata].map(([key, value]) => [
    key,
    toMetaValue(value, file.metadataTypes.get(key), key),
  ]);
}
