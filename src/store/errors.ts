/**
 * Named errors of the model store. A corrupt or truncated file reuses `ModelIntegrityError`
 * (src/sasrec/weights.ts): one class for "these bytes are not the file the manifest describes".
 */
import { LocalRecError } from '../protocol/errors.ts';

/** Megabytes with one decimal, for messages. */
export function megabytes(bytes: number): string {
  return `${(bytes / 1_048_576).toFixed(1)} MB`;
}

/** Bytes for a progress bar: KB below one megabyte, else megabytes. */
export function byteSize(bytes: number): string {
  return bytes < 1_048_576 ? `${(bytes / 1024).toFixed(1)} KB` : megabytes(bytes);
}

/** "Name: message" of an error, for a panel's error line. */
export function errorLine(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** The browser refused a write for lack of space; nothing of the file was kept. */
export class StorageFullError extends LocalRecError {
  override name = 'StorageFullError';
}

/** A StorageFullError saying how much `file` needed, how much the site may still use, and what to do. */
export function storageFullError(
  file: string,
  neededBytes: number,
  availableBytes?: number,
): StorageFullError {
  return new StorageFullError(
    `Not enough storage to keep ${file}: it needs ${megabytes(neededBytes)}, ` +
      (availableBytes === undefined
        ? 'and the browser does not say how much is free. '
        : `and the browser allows ${megabytes(availableBytes)} more for this site. `) +
      'Nothing was kept. Free disk space, or delete a downloaded model in the Models panel, then try again.',
    { file, neededBytes, availableBytes },
  );
}

/** Neither the Cache API nor IndexedDB can be opened (private mode, storage disabled). */
export class ModelStoreUnavailableError extends LocalRecError {
  override name = 'ModelStoreUnavailableError';
}

/** A download was cancelled by the user (its AbortSignal fired). */
export class DownloadCancelledError extends LocalRecError {
  override name = 'DownloadCancelledError';
}

/** A download failed (network error or HTTP status). */
export class DownloadError extends LocalRecError {
  override name = 'DownloadError';
}
