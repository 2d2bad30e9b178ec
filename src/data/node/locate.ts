/**
 * Node-only: where data lives. The shared benchmark data directory is $LOCALREC_SHARED_DATA or
 * <repo>/../shared/data; the bundled data is <repo>/public/data.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Root of this repository (three levels above src/data/node). */
export function repoRoot(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
}

/** Directory with the shared benchmark data sets (not part of the repo, never committed). */
export function sharedDataDir(): string {
  return process.env.LOCALREC_SHARED_DATA ?? join(repoRoot(), '..', 'shared', 'data');
}

/** True when `path` exists and is a file. */
export function isFile(path: string): boolean {
  return existsSync(path) && statSync(path).isFile();
}

/** True when `path` exists and is a directory. */
export function isDirectory(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}
