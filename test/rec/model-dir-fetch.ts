/**
 * A fake same-origin fetch for the LLM worker's handler tests: serves `models/<id>/<file>` of one
 * committed model directory from disk; `damage` flips the last byte of every GGUF; `requested`
 * records each path asked for.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The origin the handler tests run as. */
export const ORIGIN = 'http://127.0.0.1:4173';

/** fetch() over `<modelsDir>/<id>/` at ORIGIN/models/<id>/; anything else answers 404. */
export function modelDirFetch(
  modelsDir: string,
  id: string,
  damage = false,
  requested: string[] = [],
): typeof fetch {
  return (async (input: string | URL | Request) => {
    const url = new URL(String(input));
    requested.push(url.pathname);
    const match = new RegExp(`^/models/${id}/([\\w.-]+)$`).exec(url.pathname);
    if (url.origin !== ORIGIN || !match) return new Response('no', { status: 404 });
    const bytes = new Uint8Array(readFileSync(join(modelsDir, id, match[1])));
    if (damage && match[1].endsWith('.gguf')) bytes[bytes.length - 1] ^= 0xff;
    return new Response(bytes, { headers: { 'content-length': String(bytes.byteLength) } });
  }) as typeof fetch;
}
