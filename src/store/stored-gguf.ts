/**
 * GGUF language models kept in the store: `gguf-<first 16 hex of its sha256>/model.gguf` plus
 * `gguf.json` ({name, sha256, bytes, summary}). Reading checks gguf.json against the id and the
 * model bytes against gguf.json, so the LLM side gets checked bytes or a named error.
 */
import { z } from 'zod';
import { ModelIntegrityError } from '../sasrec/weights.ts';
import type { GgufSummary } from './gguf-check.ts';
import type { ModelStore } from './model-store.ts';
import { sha256Hex } from './sha256.ts';

/** Store file names of a kept GGUF. */
export const GGUF_FILE = 'model.gguf';
const INFO_FILE = 'gguf.json';

/** What gguf.json records. */
export interface StoredGgufInfo {
  /** the file name the user picked */
  name: string;
  sha256: string;
  bytes: number;
  summary: GgufSummary;
}

const infoSchema = z.object({
  name: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  bytes: z.number().int().nonnegative(),
  summary: z.object({
    arch: z.string(),
    params: z.number(),
    quant: z.string(),
    layers: z.number(),
    weightBytes: z.number(),
    largestTensorBytes: z.number(),
  }),
});

/** Store model id of a GGUF with this sha256. */
export function ggufModelId(sha256: string): string {
  return `gguf-${sha256.slice(0, 16)}`;
}

/** Keep a checked GGUF (model.gguf first, gguf.json last); all or nothing. Returns its model id. */
export async function keepGguf(
  store: ModelStore,
  bytes: ArrayBuffer,
  name: string,
  summary: GgufSummary,
): Promise<string> {
  const sha256 = await sha256Hex(bytes);
  const model = ggufModelId(sha256);
  const info = new TextEncoder().encode(JSON.stringify({ name, sha256, bytes: bytes.byteLength, summary }));
  try {
    await store.put({ model, file: GGUF_FILE }, bytes, { sha256, bytes: bytes.byteLength });
    await store.put({ model, file: INFO_FILE }, info.buffer, {
      sha256: await sha256Hex(info),
      bytes: info.byteLength,
    });
  } catch (error) {
    await store.delete(model).catch(() => undefined);
    throw error;
  }
  return model;
}

/** The record (gguf.json) of a kept GGUF, for labels; undefined when absent or damaged (readKeptGguf then deletes it). */
export async function keptGgufInfo(store: ModelStore, model: string): Promise<StoredGgufInfo | undefined> {
  const raw = await store.get({ model, file: INFO_FILE });
  if (!raw) return undefined;
  try {
    const parsed = infoSchema.safeParse(JSON.parse(new TextDecoder().decode(raw)));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** The checked bytes and record of a kept GGUF; undefined when absent, ModelIntegrityError when damaged (then deleted). */
export async function readKeptGguf(
  store: ModelStore,
  model: string,
): Promise<{ bytes: ArrayBuffer; info: StoredGgufInfo } | undefined> {
  const raw = await store.get({ model, file: INFO_FILE });
  if (!raw) return undefined;
  let info: StoredGgufInfo | undefined;
  try {
    const parsed = infoSchema.safeParse(JSON.parse(new TextDecoder().decode(raw)));
    if (parsed.success && ggufModelId(parsed.data.sha256) === model) info = parsed.data;
  } catch {
    // damaged JSON: handled below
  }
  if (!info) {
    await store.delete(model);
    throw new ModelIntegrityError(
      `The stored record of ${model} is damaged; it was deleted: load the GGUF file again`,
    );
  }
  const bytes = await store.get({ model, file: GGUF_FILE }, { sha256: info.sha256, bytes: info.bytes });
  return bytes ? { bytes, info } : undefined;
}
