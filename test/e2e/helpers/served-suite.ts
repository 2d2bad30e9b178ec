/**
 * One built + served page per test file: `servedForSuite(root)` registers the vitest hooks that
 * build and serve the page with the e2e models (helpers/models-dir.ts) and close it afterwards.
 */
import { afterAll, beforeAll } from 'vitest';
import { e2eModels } from './models-dir.ts';
import { buildAndServe, type ServedPage } from './serve-page.ts';

/** Call inside a describe block; the returned getter gives the served page inside its tests. */
export function servedForSuite(root: string): () => ServedPage {
  let served: ServedPage | undefined;
  beforeAll(async () => {
    served = await buildAndServe(root, e2eModels(root).dir);
  });
  afterAll(async () => {
    await served?.close();
  });
  return () => {
    if (!served) throw new Error('the page is not served yet: call servedForSuite inside describe');
    return served;
  };
}

/** Requests in `requested` that went anywhere but `origin` (data: and blob: URLs are local). */
export function requestsOutside(requested: readonly string[], origin: string): string[] {
  return requested.filter((u) => !u.startsWith(`${origin}/`) && !/^(data|blob):/.test(u));
}
