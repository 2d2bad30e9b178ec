/**
 * Download a file with byte progress and cancel: streams the response body, reporting bytes
 * received and the total when the server sends Content-Length.
 */
import { DownloadCancelledError, DownloadError } from './errors.ts';

/** Bytes received so far; `total` from Content-Length when known. */
export interface ByteProgress {
  done: number;
  total?: number;
}

/** Options of `download`. */
export interface DownloadOptions {
  fetch?: typeof fetch;
  signal?: AbortSignal;
  onProgress?: (progress: ByteProgress) => void;
}

function cancelled(url: string): DownloadCancelledError {
  return new DownloadCancelledError(`Download of ${url} was cancelled; nothing was kept.`);
}

/** Join chunks into one ArrayBuffer of `length` bytes. */
function concat(chunks: readonly Uint8Array[], length: number): ArrayBuffer {
  const out = new Uint8Array(length); // [length]
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out.buffer;
}

/** The whole body of `url`; DownloadError on HTTP/network failure, DownloadCancelledError when `signal` fires. */
export async function download(url: string, options: DownloadOptions = {}): Promise<ArrayBuffer> {
  const { signal, onProgress } = options;
  const doFetch = options.fetch ?? fetch;
  if (signal?.aborted) throw cancelled(url);
  let response: Response;
  try {
    response = await doFetch(url, signal ? { signal } : {});
  } catch (error) {
    if (signal?.aborted) throw cancelled(url);
    throw new DownloadError(
      `Could not download ${url} (${String(error)}); check the address and your connection.`,
    );
  }
  if (!response.ok) throw new DownloadError(`${url} answered HTTP ${response.status}; check the address.`);
  const header = Number(response.headers.get('content-length'));
  const total = Number.isFinite(header) && header > 0 ? header : undefined;
  const progress = (done: number) => onProgress?.(total === undefined ? { done } : { done, total });
  if (!response.body) {
    const bytes = await response.arrayBuffer();
    progress(bytes.byteLength);
    return bytes;
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let done = 0;
  progress(0);
  try {
    for (;;) {
      if (signal?.aborted) throw cancelled(url);
      const next = await reader.read();
      if (next.done) break;
      chunks.push(next.value);
      done += next.value.byteLength;
      progress(done);
    }
  } catch (error) {
    await reader.cancel().catch(() => undefined);
    if (signal?.aborted) throw cancelled(url);
    if (error instanceof DownloadCancelledError) throw error;
    throw new DownloadError(
      `Download of ${url} broke off after ${done} bytes (${String(error)}); try again.`,
    );
  }
  return concat(chunks, done);
}
