/**
 * `catalog.bin`: a compact, versioned binary form of a catalog that the page loads without parsing
 * CSV. Little-endian throughout.
 *
 *   header (32 bytes): magic "LRCT" | u32 version | u32 itemCount | u32 stringCount |
 *                      u32 itemWords | u32 stringBytes | u32 checksum (FNV-1a of all bytes after
 *                      the header) | u32 name (string index)
 *   string offsets     u32[stringCount + 1], byte offsets into the string bytes
 *   item records       u32[itemWords]; per item: key, title, year (0 = unknown), popularity,
 *                      genreCount, tagCount, genre string indices…, tag string indices…
 *   string bytes       UTF-8, deduplicated (genres and tags repeat)
 * Item i of the records is dense id i + 1.
 */
import { CatalogFormatError } from './errors.ts';
import type { CatalogItem, Dataset } from './types.ts';

/** First four bytes of every catalog.bin. */
export const CATALOG_MAGIC = 'LRCT';
/** Format version written by `packCatalog`; `unpackCatalog` reads only this version. */
export const CATALOG_VERSION = 1;
const HEADER_BYTES = 32;
const FIXED_ITEM_WORDS = 6;

/** What `unpackCatalog` returns. */
export interface PackedCatalog {
  name: string;
  /** items[i].id === i + 1; [N] */
  items: CatalogItem[];
  /** interaction count per dense id, index 0 = 0; [N + 1] */
  popularity: Int32Array;
}

/** Serialise a data set's catalog (name, items, popularity). */
export function packCatalog(dataset: Pick<Dataset, 'name' | 'items' | 'popularity'>): Uint8Array {
  const strings = new StringTable();
  const nameIndex = strings.add(dataset.name);
  const words: number[] = [];
  dataset.items.forEach((item, i) => {
    if (item.id !== i + 1)
      throw new CatalogFormatError(
        `items[${i}].id is ${item.id}, expected ${i + 1}: catalogs need dense ids 1..N in order.`,
      );
    words.push(
      strings.add(item.key),
      strings.add(item.title),
      item.year ?? 0,
      dataset.popularity[item.id] ?? 0,
    );
    words.push(item.genres.length, item.tags.length);
    for (const g of item.genres) words.push(strings.add(g));
    for (const t of item.tags) words.push(strings.add(t));
  });
  const { offsets, bytes } = strings.encode(); // offsets [stringCount + 1], bytes [stringBytes]
  const total = HEADER_BYTES + 4 * offsets.length + 4 * words.length + bytes.length;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  out.set(new TextEncoder().encode(CATALOG_MAGIC), 0);
  const header = [
    CATALOG_VERSION,
    dataset.items.length,
    offsets.length - 1,
    words.length,
    bytes.length,
    0,
    nameIndex,
  ];
  header.forEach((value, k) => view.setUint32(4 + 4 * k, value, true));
  let pos = HEADER_BYTES;
  for (const value of [...offsets, ...words]) {
    view.setUint32(pos, value, true);
    pos += 4;
  }
  out.set(bytes, pos);
  view.setUint32(24, fnv1a(out.subarray(HEADER_BYTES)), true);
  return out;
}

/** Read a catalog written by `packCatalog`. @throws CatalogFormatError on truncated/corrupt/unknown input */
export function unpackCatalog(bytes: Uint8Array): PackedCatalog {
  if (bytes.length < HEADER_BYTES)
    fail(`it has ${bytes.length} bytes, fewer than the ${HEADER_BYTES}-byte header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = String.fromCharCode(bytes[0], bytes[1], bytes[2], bytes[3]);
  if (magic !== CATALOG_MAGIC) fail(`it starts with "${magic}", not "${CATALOG_MAGIC}"`);
  const [version, itemCount, stringCount, itemWords, stringBytes, checksum, nameIndex] = Array.from(
    { length: 7 },
    (_, k) => view.getUint32(4 + 4 * k, true),
  );
  if (version !== CATALOG_VERSION)
    fail(`its version is ${version}; this build reads version ${CATALOG_VERSION}`);
  const expected = HEADER_BYTES + 4 * (stringCount + 1) + 4 * itemWords + stringBytes;
  if (bytes.length !== expected)
    fail(`it has ${bytes.length} bytes but its header describes ${expected} (truncated?)`);
  if (fnv1a(bytes.subarray(HEADER_BYTES)) !== checksum)
    fail('its checksum does not match (corrupt download?)');
  const strings = readStrings(
    bytes,
    view,
    stringCount,
    HEADER_BYTES + 4 * (stringCount + 1) + 4 * itemWords,
    stringBytes,
  );
  const words = new Reader(view, HEADER_BYTES + 4 * (stringCount + 1), itemWords);
  const str = (index: number): string =>
    strings[index] ?? fail(`string index ${index} is out of range (${stringCount} strings)`);
  const items: CatalogItem[] = [];
  const popularity = new Int32Array(itemCount + 1); // [N + 1]
  for (let i = 0; i < itemCount; i++) {
    const [key, title, year, pop, genreCount, tagCount] = Array.from({ length: FIXED_ITEM_WORDS }, () =>
      words.next(),
    );
    const item: CatalogItem = { id: i + 1, key: str(key), title: str(title), genres: [], tags: [] };
    if (year !== 0) item.year = year;
    for (let g = 0; g < genreCount; g++) item.genres.push(str(words.next()));
    for (let t = 0; t < tagCount; t++) item.tags.push(str(words.next()));
    popularity[i + 1] = pop;
    items.push(item);
  }
  if (!words.done()) fail('its item records are longer than its item count says');
  return { name: str(nameIndex), items, popularity };
}

function readStrings(
  bytes: Uint8Array,
  view: DataView,
  count: number,
  start: number,
  length: number,
): string[] {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const out: string[] = [];
  let prev = view.getUint32(HEADER_BYTES, true);
  if (prev !== 0) fail('its first string offset is not 0');
  for (let s = 0; s < count; s++) {
    const next = view.getUint32(HEADER_BYTES + 4 * (s + 1), true);
    if (next < prev || next > length) fail(`string ${s} has offsets ${prev}..${next} outside 0..${length}`);
    try {
      out.push(decoder.decode(bytes.subarray(start + prev, start + next)));
    } catch {
      fail(`string ${s} is not valid UTF-8`);
    }
    prev = next;
  }
  return out;
}

/** Sequential u32 reader over the item records with bounds checks. */
class Reader {
  private index = 0;
  constructor(
    private readonly view: DataView,
    private readonly start: number,
    private readonly count: number,
  ) {}
  next(): number {
    if (this.index >= this.count) fail('its item records end early (truncated?)');
    return this.view.getUint32(this.start + 4 * this.index++, true);
  }
  done(): boolean {
    return this.index === this.count;
  }
}

/** Deduplicating string table. */
class StringTable {
  private readonly index = new Map<string, number>();
  private readonly list: string[] = [];
  add(s: string): number {
    let i = this.index.get(s);
    if (i === undefined) {
      i = this.list.length;
      this.index.set(s, i);
      this.list.push(s);
    }
    return i;
  }
  encode(): { offsets: number[]; bytes: Uint8Array } {
    const encoder = new TextEncoder();
    const parts = this.list.map((s) => encoder.encode(s));
    const offsets = [0];
    for (const p of parts) offsets.push(offsets[offsets.length - 1] + p.length);
    const bytes = new Uint8Array(offsets[offsets.length - 1]);
    parts.forEach((p, i) => bytes.set(p, offsets[i]));
    return { offsets, bytes };
  }
}

/** 32-bit FNV-1a hash of bytes. */
function fnv1a(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  return h >>> 0;
}

function fail(why: string): never {
  throw new CatalogFormatError(
    `Not a readable catalog.bin: ${why}. Rebuild it with \`npx tsx models/tools/pack-data.ts\`.`,
  );
}
