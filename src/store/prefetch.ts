/**
 * Bring a served model's files into the store before the worker loads it, with one byte-progress
 * figure over all missing files and a cancel signal (the worker then reads them from the store).
 * Files already stored are not downloaded again; a stored file that turns out corrupt is replaced by
 * the worker's read (src/store/worker-fetch.ts).
 */
import { parseManifest } from '../protocol/manifest.ts';
import { download, type ByteProgress, type DownloadOptions } from './download.ts';
import { DownloadError } from './errors.ts';
import type { ModelStore } from './model-store.ts';
import { pageFilesOf } from './page-files.ts';

/** What prefetchModel did. */
export interface PrefetchResult {
  /** files downloaded now */
  downloaded: string[];
  /** files already in the store */
  kept: string[];
  /** bytes downloaded now */
  bytes: number;
}

/** Download the missing page files of `model` at `dirUrl` (ending with '/') into `store`. */
export async function prefetchModel(
  store: ModelStore,
  model: string,
  dirUrl: string,
  options: DownloadOptions = {},
): Promise<PrefetchResult> {
  const doFetch = options.fetch ?? fetch;
  const manifestUrl = new URL('manifest.json', dirUrl).href;
  const response = await doFetch(manifestUrl, options.signal ? { signal: options.signal } : {});
  if (!response.ok)
    throw new DownloadError(`${manifestUrl} answered HTTP ${response.status}; rebuild with \`npm start\`.`);
  const text = await response.text();
  const { files } = parseManifest(text);
  const result: PrefetchResult = { downloaded: [], kept: [], bytes: 0 };
  const missing: string[] = [];
  // only files the manifest lists with a sha256 can be kept (the worker fetches the others itself)
  for (const file of pageFilesOf(text).filter((name) => name in files)) {
    if (await store.has({ model, file })) result.kept.push(file);
    else missing.push(file);
  }
  const total = missing.reduce((sum, file) => sum + files[file].bytes, 0);
  for (const file of missing) {
    const before = result.bytes;
    const bytes = await download(new URL(file, dirUrl).href, {
      ...options,
      onProgress: (p: ByteProgress) => options.onProgress?.({ done: before + p.done, total }),
    });
    await store.put({ model, file }, bytes, files[file]);
    result.downloaded.push(file);
    result.bytes += bytes.byteLength;
  }
  return result;
}
