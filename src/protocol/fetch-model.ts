/**
 * Model files from the page's origin: `sameOriginUrl` refuses any other origin, `fetchWithProgress`
 * reads a response in chunks with byte progress (used by the LLM worker's `llm.load` and `rec.load`).
 */
import { InvalidRequestError, ModelLoadError } from './errors.ts';
import type { Progress } from './messages.ts';

/** Resolves `url` against the origin; refuses anything elsewhere. */
export function sameOriginUrl(origin: string, url: string): URL {
  const resolved = new URL(url, `${origin}/`);
  if (resolved.origin !== origin) {
    throw new InvalidRequestError(
      `${resolved.href} is not on ${origin}; LocalRec only loads same-origin models.`,
    );
  }
  return resolved;
}

/** Fetches `url` in chunks, reporting bytes read; HTTP and network failures become ModelLoadError. */
export async function fetchWithProgress(
  env: { fetch: typeof fetch },
  url: URL,
  report: (p: Progress) => void,
): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await env.fetch(url.href);
  } catch (error) {
    throw new ModelLoadError(`Could not fetch ${url.href}: ${String(error)}. Is the server running?`, {
      url: url.href,
    });
  }
  if (!response.ok || !response.body) {
    throw new ModelLoadError(`${url.href} answered HTTP ${response.status}; check the model URL.`, {
      url: url.href,
      status: response.status,
    });
  }
  const total = Number(response.headers.get('content-length')) || undefined;
  const chunks: Uint8Array[] = [];
  let done = 0;
  const reader = response.body.getReader();
  for (let r = await reader.read(); !r.done; r = await reader.read()) {
    chunks.push(r.value);
    done += r.value.byteLength;
    report({ stage: 'fetch', message: `Fetching ${url.pathname}…`, done, ...(total ? { total } : {}) });
  }
  const bytes = new Uint8Array(done); // [bytes]
  let at = 0;
  for (const c of chunks) bytes.set(c, (at += c.byteLength) - c.byteLength);
  return bytes;
}
