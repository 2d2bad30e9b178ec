/**
 * The SASRec worker's `fetch`, routed through the model store: files of `models/<id>/` that the
 * manifest lists come from the store (sha256-checked; downloaded once and kept when absent, re-fetched
 * once when corrupt), files of `local-models/<id>/` exist only in the store. Everything else, and
 * everything when the browser keeps no storage (or has no room left), goes to the network unchanged;
 * the loader checks the sha256 of what it gets either way.
 */
import { z } from 'zod';
import { ModelIntegrityError } from '../sasrec/weights.ts';
import { StorageFullError } from './errors.ts';
import { readThroughStore } from './fetch-through.ts';
import type { FileDigest, ModelStore } from './model-store.ts';
import { localModelId, parseModelFileUrl, type ModelFileUrl } from './model-urls.ts';
import { sha256Hex } from './sha256.ts';

const MANIFEST = 'manifest.json';
const filesSchema = z.object({
  files: z.record(z.string(), z.object({ sha256: z.string(), bytes: z.number() })),
});

/** `files` of a manifest's text, or undefined when it has none (the loader reports the real error). */
function manifestFiles(text: string): Record<string, FileDigest> | undefined {
  try {
    const parsed = filesSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data.files : undefined;
  } catch {
    return undefined;
  }
}

function ok(bytes: ArrayBuffer | string): Response {
  return new Response(bytes, { status: 200 });
}

function missing(at: ModelFileUrl): Response {
  return new Response(
    `${at.file} of ${at.model} is not in this browser's model store; load the model again.`,
    {
      status: 404,
    },
  );
}

/** A fetch for the worker over `openStore` (opened lazily, once) and `network`. */
export function storeBackedFetch(openStore: () => Promise<ModelStore>, network: typeof fetch): typeof fetch {
  let opened: Promise<ModelStore | undefined> | undefined;
  const store = () => (opened ??= openStore().catch(() => undefined));
  /** directory URL → its manifest's file digests */
  const manifests = new Map<string, Record<string, FileDigest>>();

  const localManifest = async (s: ModelStore, at: ModelFileUrl): Promise<Response> => {
    const bytes = await s.get({ model: at.model, file: MANIFEST });
    if (!bytes) return missing(at);
    if (localModelId(await sha256Hex(bytes)) !== at.model) {
      await s.delete(at.model);
      throw new ModelIntegrityError(
        `The stored manifest.json of ${at.model} is corrupt (its sha256 no longer matches); it was deleted: load the bundle again`,
      );
    }
    return remember(at, new TextDecoder().decode(bytes));
  };
  const remember = (at: ModelFileUrl, text: string): Response => {
    const files = manifestFiles(text);
    if (files) manifests.set(at.dir, files);
    return ok(text);
  };

  return async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    const at = parseModelFileUrl(url);
    const s = at ? await store() : undefined;
    if (!at || !s) return network(input, init);
    if (at.file === MANIFEST) {
      if (at.kind === 'local') return localManifest(s, at);
      const response = await network(input, init);
      return response.ok ? remember(at, await response.text()) : response;
    }
    const digest = manifests.get(at.dir)?.[at.file];
    if (at.kind === 'served') {
      if (!digest) return network(input, init);
      try {
        return ok((await readThroughStore(s, at, digest, { url, fetch: network })).bytes);
      } catch (error) {
        // no room to keep it: use it from the network this time (the loader checks its sha256)
        if (error instanceof StorageFullError) return network(input, init);
        throw error;
      }
    }
    if (!digest) return missing(at);
    const bytes = await s.get(at, digest);
    return bytes ? ok(bytes) : missing(at);
  };
}
