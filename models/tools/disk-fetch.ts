/**
 * FetchFile over a directory on disk, for Node CLIs and tests (the page uses fetch).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FetchFile } from '../../src/sasrec/weights.ts';

/** Files of `dir`, read whole. */
export function diskFetchFile(dir: string): FetchFile {
  return async (name) => {
    const bytes = await readFile(join(dir, name));
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  };
}
