/**
 * The page's settings, kept per origin in IndexedDB (database `localrec-settings`, never cookies or
 * localStorage): small JSON records under string keys, validated with zod when read. The one
 * setting so far is the model the user chose to use instead of the default (`ModelChoice`): a
 * bundle kept in the model store, loaded again on the next visit.
 */
import { z } from 'zod';
import { LocalRecError } from '../protocol/errors.ts';
import type { StorageBackend } from './backend.ts';
import { openIdbBackend } from './idb-backend.ts';

/** Name of the IndexedDB database of the page's settings. */
export const SETTINGS_DB_NAME = 'localrec-settings';
const CHOICE_KEY = 'model-choice';

/** IndexedDB is missing or refused to open: settings are not kept across visits. */
export class SettingsUnavailableError extends LocalRecError {
  override name = 'SettingsUnavailableError';
}

const choiceSchema = z.object({
  /** store model id of the bundle, `local-<16 hex>` */
  model: z.string().regex(/^local-[0-9a-f]{16}$/),
  /** the manifest's own id (what the status line shows) */
  name: z.string(),
  /** true when the bundle keeps its own catalog.bin (a model trained in the page) */
  catalog: z.boolean(),
});

/** The model the user chose to use instead of the default. */
export type ModelChoice = z.infer<typeof choiceSchema>;

/** Read / write / forget the chosen model. */
export interface SettingsStore {
  /** the kept choice; undefined when none, or when the record is unreadable (it is then removed) */
  loadChoice(): Promise<ModelChoice | undefined>;
  saveChoice(choice: ModelChoice): Promise<void>;
  clearChoice(): Promise<void>;
  /** Remove every setting record (Delete everything); resolves to how many there were. */
  clearAll(): Promise<number>;
}

/** A SettingsStore over raw key → bytes storage (UTF-8 JSON per record). */
export function settingsOn(backend: StorageBackend): SettingsStore {
  return {
    async loadChoice() {
      const bytes = await backend.read(CHOICE_KEY);
      if (!bytes) return undefined;
      let value: unknown;
      try {
        value = JSON.parse(new TextDecoder().decode(bytes));
      } catch {
        value = undefined;
      }
      const parsed = choiceSchema.safeParse(value);
      if (parsed.success) return parsed.data;
      await backend.remove(CHOICE_KEY);
      return undefined;
    },
    async saveChoice(choice) {
      const bytes = new TextEncoder().encode(JSON.stringify(choiceSchema.parse(choice)));
      await backend.write(CHOICE_KEY, bytes.buffer as ArrayBuffer);
    },
    clearChoice: () => backend.remove(CHOICE_KEY),
    async clearAll() {
      const keys = await backend.keys();
      for (const key of keys) await backend.remove(key);
      return keys.length;
    },
  };
}

/** The settings of this origin in IndexedDB (`factory`, default the browser's). */
export async function openSettings(
  factory: IDBFactory | undefined = globalThis.indexedDB,
): Promise<SettingsStore> {
  if (!factory) {
    throw new SettingsUnavailableError(
      'IndexedDB is not available in this browser; the model you choose is used until the page is closed, then the default model again.',
    );
  }
  try {
    return settingsOn(await openIdbBackend(factory, SETTINGS_DB_NAME));
  } catch (error) {
    throw new SettingsUnavailableError(
      `Could not open IndexedDB "${SETTINGS_DB_NAME}" (${String(error)}); the model you choose will not be remembered after this visit.`,
    );
  }
}
