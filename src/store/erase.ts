/**
 * "Delete everything" (the Privacy line of issue 6): the parts of what LocalRec keeps in this browser
 * are removed one after the other; a part that fails is named with its error and the others still
 * run. Last, the storage containers themselves go: the IndexedDB databases of the history, the
 * settings and the model store's fallback, and the model store's Cache API cache. The service
 * worker's precache (the app shell of this build, no user data) stays, so the page keeps working
 * offline.
 */
import { LocalRecError } from '../protocol/errors.ts';
import { HISTORY_DB_NAME } from '../state/history-store.ts';
import { MODEL_CACHE_NAME } from './cache-backend.ts';
import { errorLine } from './errors.ts';
import { MODEL_DB_NAME } from './idb-backend.ts';
import { SETTINGS_DB_NAME } from './settings.ts';

/** Every IndexedDB database LocalRec creates. */
export const LOCALREC_DATABASES = [HISTORY_DB_NAME, SETTINGS_DB_NAME, MODEL_DB_NAME] as const;
/** Every Cache API cache holding user data (the model store's; not the service worker's precache). */
export const LOCALREC_DATA_CACHES = [MODEL_CACHE_NAME] as const;

/** A database stayed open in another tab, so the browser could not delete it yet. */
export class StorageBlockedError extends LocalRecError {
  override name = 'StorageBlockedError';
}

/** One thing to remove. */
export interface ErasePart {
  /** how the result line names it, e.g. "history" */
  what: string;
  /** removes it; resolves to what was removed ("3 items"), '' when there was nothing */
  run: () => Promise<string>;
}

/** What "Delete everything" did. */
export interface EraseReport {
  /** "history (3 items)", one per part that succeeded and removed something */
  removed: string[];
  /** "stored models: Name: message", one per part that failed */
  failed: string[];
}

/** Run every part in order; failures are collected, never thrown. */
export async function eraseEverything(parts: readonly ErasePart[]): Promise<EraseReport> {
  const report: EraseReport = { removed: [], failed: [] };
  for (const { what, run } of parts) {
    try {
      const detail = await run();
      if (detail) report.removed.push(`${what} (${detail})`);
    } catch (error) {
      report.failed.push(`${what}: ${errorLine(error)}`);
    }
  }
  return report;
}

/** The result line of a report (the failed parts are shown one per line beside it). */
export function eraseLine(report: EraseReport): string {
  const removed = report.removed.length > 0 ? report.removed.join('; ') : 'nothing was stored';
  const failed = report.failed.length;
  return `Deleted: ${removed}.${failed > 0 ? ` ${failed} part${failed === 1 ? '' : 's'} could not be deleted (below).` : ''}`;
}

/** The browser storage APIs the containers live in (a window's, or fakes in tests). */
export interface ContainerEnvironment {
  caches?: Pick<CacheStorage, 'delete'>;
  indexedDB?: Pick<IDBFactory, 'deleteDatabase' | 'databases'>;
}

/** Delete one database; StorageBlockedError when another tab keeps it open for `waitMs`. */
function deleteDatabase(
  factory: Pick<IDBFactory, 'deleteDatabase'>,
  name: string,
  waitMs: number,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = factory.deleteDatabase(name);
    let timer: ReturnType<typeof setTimeout> | undefined;
    request.onsuccess = () => (clearTimeout(timer), resolve());
    request.onerror = () => (
      clearTimeout(timer),
      reject(request.error ?? new Error(`deleting ${name} failed`))
    );
    request.onblocked = () => {
      timer ??= setTimeout(
        () =>
          reject(
            new StorageBlockedError(
              `IndexedDB "${name}" is still open in another LocalRec tab; close that tab (it is deleted then) or press Delete everything again`,
            ),
          ),
        waitMs,
      );
    };
  });
}

/**
 * Delete LocalRec's databases and data caches that exist; resolves to what went ("IndexedDB
 * localrec, localrec-settings; Cache API localrec-models"), '' when none existed.
 */
export async function dropStorageContainers(env: ContainerEnvironment, waitMs = 5000): Promise<string> {
  const gone: string[] = [];
  if (env.indexedDB) {
    const existing = new Set((await env.indexedDB.databases()).map((d) => d.name));
    const names = LOCALREC_DATABASES.filter((name) => existing.has(name));
    for (const name of names) await deleteDatabase(env.indexedDB, name, waitMs);
    if (names.length > 0) gone.push(`IndexedDB ${names.join(', ')}`);
  }
  if (env.caches) {
    const names: string[] = [];
    for (const name of LOCALREC_DATA_CACHES) if (await env.caches.delete(name)) names.push(name);
    if (names.length > 0) gone.push(`Cache API ${names.join(', ')}`);
  }
  return gone.join('; ');
}
