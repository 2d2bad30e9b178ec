import { describe, expect, it } from 'vitest';
import { download, type ByteProgress } from '../../src/store/download.ts';
import { DownloadCancelledError, DownloadError } from '../../src/store/errors.ts';

/** A fetch answering `chunks` as a streamed body, with Content-Length when `withLength`. */
function streamingFetch(chunks: Uint8Array[], withLength = true): typeof fetch {
  return async (_url, init) => {
    const signal = init?.signal ?? undefined;
    let i = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (signal?.aborted) controller.error(signal.reason);
        else if (i < chunks.length) controller.enqueue(chunks[i++]);
        else controller.close();
      },
    });
    const total = chunks.reduce((s, c) => s + c.byteLength, 0);
    return new Response(body, { headers: withLength ? { 'content-length': String(total) } : {} });
  };
}

const chunks = [new Uint8Array([1, 2, 3]), new Uint8Array([4, 5]), new Uint8Array([6])];

describe('download', () => {
  it('joins the streamed chunks and reports bytes against Content-Length', async () => {
    const seen: ByteProgress[] = [];
    const bytes = await download('http://x/f', {
      fetch: streamingFetch(chunks),
      onProgress: (p) => seen.push(p),
    });
    expect([...new Uint8Array(bytes)]).toEqual([1, 2, 3, 4, 5, 6]);
    expect(seen).toEqual([
      { done: 0, total: 6 },
      { done: 3, total: 6 },
      { done: 5, total: 6 },
      { done: 6, total: 6 },
    ]);
  });

  it('reports bytes without a total when the length is unknown', async () => {
    const seen: ByteProgress[] = [];
    await download('http://x/f', { fetch: streamingFetch(chunks, false), onProgress: (p) => seen.push(p) });
    expect(seen.at(-1)).toEqual({ done: 6 });
  });

  it('stops with DownloadCancelledError when the signal fires mid-stream', async () => {
    const controller = new AbortController();
    const run = download('http://x/f', {
      fetch: streamingFetch(chunks),
      signal: controller.signal,
      onProgress: (p) => {
        if (p.done === 3) controller.abort();
      },
    });
    await expect(run).rejects.toThrow(DownloadCancelledError);
  });

  it('names the HTTP status', async () => {
    const notFound: typeof fetch = async () => new Response('no', { status: 404 });
    await expect(download('http://x/missing', { fetch: notFound })).rejects.toThrow(DownloadError);
    await expect(download('http://x/missing', { fetch: notFound })).rejects.toThrow(/HTTP 404/);
  });
});
