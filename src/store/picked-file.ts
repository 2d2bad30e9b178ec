/**
 * One file the user handed over, from the picker / drop (a `File`) or downloaded from a URL (bytes),
 * behind one interface so the Models panel treats both alike; reads only what it is asked for.
 */

/** A picked or downloaded file. */
export interface PickedFile {
  name: string;
  size: number;
  /** bytes [start, end) */
  slice(start: number, end: number): Promise<Uint8Array>;
  /** the whole file */
  bytes(): Promise<ArrayBuffer>;
}

/** A browser `File` (or Blob with a name). */
export function pickedFromFile(file: Blob & { name: string }): PickedFile {
  return {
    name: file.name,
    size: file.size,
    slice: async (start, end) => new Uint8Array(await file.slice(start, end).arrayBuffer()),
    bytes: () => file.arrayBuffer(),
  };
}

/** Bytes already in memory (a download), named after the last path segment of their URL. */
export function pickedFromBytes(name: string, bytes: ArrayBuffer): PickedFile {
  return {
    name,
    size: bytes.byteLength,
    slice: async (start, end) =>
      new Uint8Array(bytes, start, Math.max(0, Math.min(end, bytes.byteLength) - start)),
    bytes: async () => bytes,
  };
}

/** The file name a URL points at ("model.gguf" of ".../model.gguf?x=1"); "download" when it has none. */
export function fileNameOf(url: string): string {
  const last = new URL(url).pathname.split('/').pop() ?? '';
  return decodeURIComponent(last) || 'download';
}
