/**
 * The GGUF of an item-token model directory (llama-rec, llama-interest) in the LLM worker: the manifest's
 * entry for a scheme, the bytes from the model store's checked copy or from the page's origin (size and
 * sha256 checked against the manifest, then kept in the store as `gguf-<sha256 prefix>`,
 * src/store/stored-gguf.ts), parsed with quantized blocks kept and its vocabulary checked.
 */
import { z } from 'zod';
import type { LoadedLlama } from '../llm/load/gguf-llama.ts';
import { loadLlamaFile } from '../llm/load/model-file.ts';
import type { WeightMatrix } from '../llm/weights.ts';
import { fetchWithProgress } from '../protocol/fetch-model.ts';
import type { Progress } from '../protocol/messages.ts';
import { ModelIntegrityError } from '../sasrec/weights.ts';
import { inspectGguf } from '../store/gguf-check.ts';
import type { ModelStore } from '../store/model-store.ts';
import { sha256Hex } from '../store/sha256.ts';
import { ggufModelId, keepGguf, readKeptGguf } from '../store/stored-gguf.ts';
import { RecManifestError } from './item-tokens.ts';
import type { RecScheme } from './pipeline-protocol.ts';

/** Payload shape of `rec.load` and `interest.load`: an item-token model directory on the page's origin. */
export const itemModelLoadSchema = z.object({
  manifestUrl: z.string().min(1),
  scheme: z.enum(['f32', 'q8_0', 'q4_0']).optional(),
  sasrecId: z.string().min(1),
});

/** What the LLM worker's model handlers need from their surroundings (injected so Node tests can supply them). */
export interface RecLlmHandlerEnv {
  fetch: typeof fetch;
  /** the only origin model files may come from */
  origin: string;
  /** milliseconds clock */
  now: () => number;
  /** the model store for the GGUF; absent, or failing to open/write, → the network each time */
  openStore?: () => Promise<ModelStore>;
}

// sha256 of each GGUF as rec-package writes it (RecManifestSchema does not keep it)
const digestsSchema = z.object({
  files: z.record(z.string(), z.looseObject({ sha256: z.string().regex(/^[0-9a-f]{64}$/) })),
});

/** What schemeFile reads of a model directory's manifest (llama-rec, llama-interest). */
interface ManifestWithFiles {
  id: string;
  files?: Partial<Record<RecScheme, { file: string; bytes: number }>>;
}

/** The GGUF entry of `scheme` in the manifest (with its sha256 from the raw JSON), or a RecManifestError. */
export function schemeFile(
  manifest: ManifestWithFiles,
  raw: unknown,
  scheme: RecScheme,
): { file: string; bytes: number; sha256?: string } {
  const entry = manifest.files?.[scheme];
  if (!entry) {
    throw new RecManifestError(
      `${manifest.id}'s manifest lists no ${scheme} GGUF (has: ${Object.keys(manifest.files ?? {}).join(', ') || 'none'}); run npm run rec:package`,
    );
  }
  const digests = digestsSchema.safeParse(raw);
  const sha256 = digests.success ? digests.data.files[scheme]?.sha256 : undefined;
  return { file: entry.file, bytes: entry.bytes, ...(sha256 ? { sha256 } : {}) };
}

/** Fetches the GGUF and checks it against the manifest's size and sha256. */
async function fetchCheckedGguf(
  env: RecLlmHandlerEnv,
  url: URL,
  expected: { bytes: number; sha256?: string },
  report: (p: Progress) => void,
): Promise<Uint8Array> {
  const bytes = await fetchWithProgress(env, url, report); // [bytes]
  const sha256 = expected.sha256 ? await sha256Hex(bytes) : undefined;
  if (bytes.byteLength !== expected.bytes || sha256 !== expected.sha256) {
    throw new ModelIntegrityError(
      `${url.pathname} has ${bytes.byteLength} bytes${sha256 ? ` and SHA-256 ${sha256}` : ''}; the manifest says ` +
        `${expected.bytes} bytes${expected.sha256 ? ` and ${expected.sha256}` : ''}. Re-run npm run rec:package or reload.`,
    );
  }
  return bytes;
}

/** The GGUF's bytes: the store's checked copy, else the network's (checked, then kept when the store can). */
export async function readGguf(
  env: RecLlmHandlerEnv,
  url: URL,
  expected: { file: string; bytes: number; sha256?: string },
  report: (p: Progress) => void,
): Promise<{ bytes: Uint8Array; from: 'store' | 'network' }> {
  const { sha256 } = expected;
  const store = sha256 && env.openStore ? await env.openStore().catch(() => undefined) : undefined;
  if (store && sha256) {
    // a damaged copy is deleted by readKeptGguf (ModelIntegrityError): download it again
    const kept = await readKeptGguf(store, ggufModelId(sha256)).catch(() => undefined);
    if (kept && kept.info.sha256 === sha256) return { bytes: new Uint8Array(kept.bytes), from: 'store' };
  }
  const bytes = await fetchCheckedGguf(env, url, expected, report); // [bytes]
  if (store) {
    const copy = bytes.slice().buffer; // the store keeps its own ArrayBuffer
    const summary = await inspectGguf(async (n) => bytes.subarray(0, n), bytes.byteLength);
    // a full or failing store only costs the next visit a download
    await keepGguf(store, copy, expected.file, summary).catch(() => undefined);
  }
  return { bytes, from: 'network' };
}

/**
 * The manifest's `scheme` GGUF of an item-token model (llama-rec, llama-interest): read from the store or
 * the origin (checked, `readGguf`), parsed with quantized blocks kept, and its vocabulary checked to be the
 * manifest's base + items (else `errorOf`'s error).
 */
export async function readItemTokenGguf(
  env: RecLlmHandlerEnv,
  model: {
    manifest: ManifestWithFiles & { baseVocab: number; itemCount: number };
    raw: unknown;
    scheme: RecScheme;
    manifestUrl: URL;
  },
  ctx: { progress: (p: Progress) => void; throwIfCancelled: () => void },
  errorOf: (message: string) => Error,
): Promise<{
  entry: { file: string; bytes: number };
  gguf: Uint8Array;
  from: 'store' | 'network';
  file: LoadedLlama<WeightMatrix>;
}> {
  const { manifest, manifestUrl } = model;
  const entry = schemeFile(manifest, model.raw, model.scheme);
  const { bytes: gguf, from } = await readGguf(env, new URL(entry.file, manifestUrl), entry, ctx.progress);
  ctx.throwIfCancelled();
  const file = loadLlamaFile(gguf, { keepQuantized: true });
  const vocab = manifest.baseVocab + manifest.itemCount;
  if (file.weights.config.vocabSize !== vocab) {
    throw errorOf(
      `${entry.file} has ${file.weights.config.vocabSize} tokens; the manifest expects ${vocab} (base + items)`,
    );
  }
  return { entry, gguf, from, file };
}
