/**
 * Read a model file through the store: the stored copy when it passes its sha256 check; otherwise
 * (absent, or corrupt → deleted) download it once from its original URL, check it, keep it and
 * return it. A download that fails the check too ends in `ModelIntegrityError`: corrupt bytes never
 * reach a parser.
 */
import { ModelIntegrityError } from '../sasrec/weights.ts';
import { download, type DownloadOptions } from './download.ts';
import type { FileDigest, ModelStore, StoreKey } from './model-store.ts';

/** Where the file came from and how to fetch it again. */
export interface FileSource extends DownloadOptions {
  url: string;
}

/** How `readThroughStore` got the bytes. */
export type ReadOutcome = 'stored' | 'downloaded' | 'replaced-corrupt';

/** The checked bytes of `key` and how they were obtained. */
export async function readThroughStore(
  store: ModelStore,
  key: StoreKey,
  expected: FileDigest,
  source: FileSource,
): Promise<{ bytes: ArrayBuffer; outcome: ReadOutcome }> {
  let corrupt: ModelIntegrityError | undefined;
  try {
    const stored = await store.get(key, expected);
    if (stored) return { bytes: stored, outcome: 'stored' };
  } catch (error) {
    if (!(error instanceof ModelIntegrityError)) throw error;
    corrupt = error; // already deleted by the store
  }
  const bytes = await download(source.url, source);
  try {
    await store.put(key, bytes, expected);
  } catch (error) {
    if (!(error instanceof ModelIntegrityError)) throw error;
    throw new ModelIntegrityError(
      `${key.model}/${key.file} downloaded from ${source.url} does not match its manifest ` +
        `(${error.message})${corrupt ? ', and the stored copy was corrupt too' : ''}; ` +
        'the server holds a different or damaged file: re-export the model or check the URL.',
      { cause: error },
    );
  }
  return { bytes, outcome: corrupt ? 'replaced-corrupt' : 'downloaded' };
}
