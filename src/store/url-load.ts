/**
 * Download what a URL the user typed points at, as picked files: a directory URL (ending in '/')
 * or a manifest.json URL is a SASRec bundle (manifest.json, the files its tensors live in,
 * items.json); any other URL is one file named after its last path segment.
 */
import { download, type DownloadOptions } from './download.ts';
import { fileNameOf, pickedFromBytes, type PickedFile } from './picked-file.ts';
import { pageFilesOf } from './page-files.ts';
import type { StoreKey } from './model-store.ts';

/** The files at `address` (resolved against `base`), downloaded with `options` (progress per file, cancel). */
export async function downloadPicked(
  address: string,
  base: string,
  options: DownloadOptions = {},
): Promise<PickedFile[]> {
  const url = new URL(address, base).href;
  if (!url.endsWith('/') && !url.endsWith('/manifest.json')) {
    return [pickedFromBytes(fileNameOf(url), await download(url, options))];
  }
  const dir = new URL('./', url).href;
  const manifest = await download(new URL('manifest.json', dir).href, options);
  const names = pageFilesOf(new TextDecoder().decode(manifest));
  const files = [pickedFromBytes('manifest.json', manifest)];
  for (const name of names)
    files.push(pickedFromBytes(name, await download(new URL(name, dir).href, options)));
  return files;
}

/** Store keys grouped by model, in the store's order. */
export function groupByModel(keys: readonly StoreKey[]): { model: string; files: string[] }[] {
  const out: { model: string; files: string[] }[] = [];
  for (const { model, file } of keys) {
    const last = out.at(-1);
    if (last?.model === model) last.files.push(file);
    else out.push({ model, files: [file] });
  }
  return out;
}
