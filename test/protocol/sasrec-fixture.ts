/**
 * The tiny SASRec fixture (test/fixtures/sasrec-tiny) served to the SASRec handlers from a fake
 * same-origin fetch, with a default handler environment and request context.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BackendUnavailableError } from '../../src/protocol/errors.ts';
import type { HandlerContext } from '../../src/protocol/rpc.ts';
import type { SasrecHandlerEnv } from '../../src/protocol/sasrec-handler.ts';

export const fixtureDir = fileURLToPath(new URL('../fixtures/sasrec-tiny/', import.meta.url));
export const ORIGIN = 'http://127.0.0.1:4173';
export const ITEM_COUNT = 37;
export const itemKeys = Array.from({ length: ITEM_COUNT }, (_, i) => `key${i + 1}`);
export const goldens = JSON.parse(readFileSync(`${fixtureDir}goldens.json`, 'utf8')) as {
  k: number;
  cases: { history: number[]; ids: number[]; scores: number[] }[];
};

/** Serves the fixture under /models/tiny/ (plus a test items.json); records every URL asked for. */
export function fixtureFetch(requested: string[], withItems = true): typeof fetch {
  return (async (input: string | URL | Request) => {
    const url = new URL(String(input));
    requested.push(url.href);
    const name = url.pathname.replace('/models/tiny/', '');
    if (url.origin !== ORIGIN || !url.pathname.startsWith('/models/tiny/'))
      return new Response('no', { status: 404 });
    if (name === 'items.json')
      return withItems ? new Response(JSON.stringify(itemKeys)) : new Response('', { status: 404 });
    try {
      return new Response(readFileSync(fixtureDir + name));
    } catch {
      return new Response('missing', { status: 404 });
    }
  }) as typeof fetch;
}

export const refusingGpu: SasrecHandlerEnv['createGpuOps'] = async () => {
  throw new BackendUnavailableError('test: no kernels');
};

export function env(overrides: Partial<SasrecHandlerEnv> = {}): SasrecHandlerEnv {
  return {
    fetch: fixtureFetch([]),
    gpu: undefined,
    createGpuOps: refusingGpu,
    origin: ORIGIN,
    inWorker: false,
    now: () => 0,
    ...overrides,
  };
}

export const ctx = (): HandlerContext => ({
  signal: new AbortController().signal,
  progress: () => {},
  throwIfCancelled: () => {},
});
