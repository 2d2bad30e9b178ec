/**
 * The model store: model files kept in the browser, keyed by model id + file name, on a
 * `StorageBackend` (Cache API, or IndexedDB as fallback). Every write is all-or-nothing (temp key →
 * read back and sha256-checked against the manifest → committed under the real key; the temp key is
 * always removed), and every read is sha256-checked before the bytes are handed out: a corrupt or
 * truncated file is deleted and reported with `ModelIntegrityError`, never returned.
 */
import { ModelIntegrityError, verifyFileIntegrity } from '../sasrec/weights.ts';
import { isQuotaError, type StorageBackend } from './backend.ts';
import { storageFullError } from './errors.ts';
import { InvalidRequestError } from '../protocol/errors.ts';

/** Which file: a model id (e.g. "ml-latest-small-sasrec", "local-my-model") and a file name in it. */
export interface StoreKey {
  model: string;
  file: string;
}

/** What a file must be: its manifest entry (`files[name]` of manifest.json). */
export interface FileDigest {
  sha256: string;
  bytes: number;
}

/** Bytes used and allowed for this origin (navigator.storage.estimate); fields absent when unknown. */
export interface StorageEstimateInfo {
  usage?: number;
  quota?: number;
}

/** Model files kept in the browser. */
export interface ModelStore {
  /** 'cache' or 'indexeddb' */
  readonly kind: StorageBackend['kind'];
  /** Keep `bytes` under `key` if they match `expected`; ModelIntegrityError / StorageFullError otherwise, nothing kept. */
  put(key: StoreKey, bytes: ArrayBuffer, expected: FileDigest): Promise<void>;
  /**
   * The checked bytes, or undefined when absent; a stored file that fails the check is deleted and
   * throws ModelIntegrityError. Without `expected` the bytes are unchecked: only for a manifest.json,
   * which the caller checks itself (src/store/worker-fetch.ts).
   */
  get(key: StoreKey, expected?: FileDigest): Promise<ArrayBuffer | undefined>;
  has(key: StoreKey): Promise<boolean>;
  /** Delete one file, or every file of `model` when `file` is omitted. */
  delete(model: string, file?: string): Promise<void>;
  /** Delete every file, half-written ones too (Delete everything); resolves to the model ids that had files. */
  clear(): Promise<string[]>;
  /** Every kept file, sorted by model then file. */
  list(): Promise<StoreKey[]>;
  estimate(): Promise<StorageEstimateInfo>;
}

const PARTIAL = '.partial';
const NAME = /^[A-Za-z0-9._:-]+$/;

/** The backend key of a store key; refuses names that could escape their model (`/`, `..`). */
export function storageKey({ model, file }: StoreKey): string {
  for (const [what, value] of [
    ['model id', model],
    ['file name', file],
  ]) {
    if (!NAME.test(value) || value === '.' || value === '..' || value.endsWith(PARTIAL)) {
      throw new InvalidRequestError(
        `Model store ${what} "${value}" is not allowed; use letters, digits and . _ : - (no "/", not ending in ${PARTIAL}).`,
      );
    }
  }
  return `${model}/${file}`;
}

function parseKey(key: string): StoreKey | undefined {
  const slash = key.indexOf('/');
  if (slash < 0 || key.endsWith(PARTIAL)) return undefined;
  return { model: key.slice(0, slash), file: key.slice(slash + 1) };
}

/** A `ModelStore` on `backend`; `estimate` is navigator.storage.estimate when the browser has it. */
export function createModelStore(
  backend: StorageBackend,
  estimate: () => Promise<StorageEstimateInfo> = async () => ({}),
): ModelStore {
  const available = async (): Promise<number | undefined> => {
    const { usage, quota } = await estimate().catch((): StorageEstimateInfo => ({}));
    return usage === undefined || quota === undefined ? undefined : Math.max(0, quota - usage);
  };
  return {
    kind: backend.kind,
    async put(key, bytes, expected) {
      const final = storageKey(key);
      // one temp copy per writer: two pages or frames of this origin may store the same file at once, and a
      // shared temp name let one writer's cleanup delete the copy the other was about to read back
      const temp = `${final}.${Math.random().toString(36).slice(2, 10)}${PARTIAL}`;
      const where = `${key.model}/${key.file}`;
      await verifyFileIntegrity(where, bytes, expected);
      try {
        await backend.write(temp, bytes);
        const landed = await backend.read(temp);
        if (!landed)
          throw new ModelIntegrityError(
            `${where} vanished from browser storage while being written; try again`,
          );
        await verifyFileIntegrity(where, landed, expected);
        await backend.write(final, landed);
      } catch (error) {
        if (isQuotaError(error)) throw storageFullError(where, bytes.byteLength, await available());
        throw error;
      } finally {
        await backend.remove(temp).catch(() => undefined);
      }
    },
    async get(key, expected) {
      const final = storageKey(key);
      const bytes = await backend.read(final);
      if (!bytes || !expected) return bytes;
      try {
        await verifyFileIntegrity(`${key.model}/${key.file}`, bytes, expected);
      } catch (error) {
        await backend.remove(final);
        throw error;
      }
      return bytes;
    },
    async has(key) {
      const wanted = storageKey(key);
      return (await backend.keys()).includes(wanted);
    },
    async delete(model, file) {
      if (file !== undefined) return backend.remove(storageKey({ model, file }));
      storageKey({ model, file: 'x' }); // validates the model id
      const prefix = `${model}/`;
      for (const key of await backend.keys()) if (key.startsWith(prefix)) await backend.remove(key);
    },
    async clear() {
      const keys = await backend.keys();
      for (const key of keys) await backend.remove(key);
      const models = keys.map((key) => key.slice(0, Math.max(0, key.indexOf('/'))) || key);
      return [...new Set(models)].sort();
    },
    async list() {
      const keys = (await backend.keys()).map(parseKey).filter((k): k is StoreKey => k !== undefined);
      return keys.sort((a, b) => a.model.localeCompare(b.model) || a.file.localeCompare(b.file));
    },
    estimate: () => estimate().catch((): StorageEstimateInfo => ({})),
  };
}
