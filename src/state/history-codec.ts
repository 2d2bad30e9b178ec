/**
 * The persisted / exported form of the user's history and its validation. Kept free of IndexedDB
 * and Svelte so it can be unit-tested in Node.
 */
import { z } from 'zod';
import { LocalRecError } from '../protocol/errors.ts';

/** One liked item: its catalog key and when it was added (ms since epoch). */
export interface HistoryEntry {
  key: string;
  addedAt: number;
}

/** Stored or exported history did not have the expected shape. */
export class HistoryFormatError extends LocalRecError {
  override name = 'HistoryFormatError';
}

const entrySchema = z.object({ key: z.string().min(1), addedAt: z.number().finite() });

/** Schema of the JSON file the Export button writes (and what IndexedDB keeps). */
const exportSchema = z.object({
  format: z.literal('localrec-history'),
  version: z.literal(1),
  exportedAt: z.string(),
  items: z.array(entrySchema.extend({ title: z.string().optional() })),
});

/** The export file's shape. */
export type HistoryExport = z.infer<typeof exportSchema>;

/** Validate a list of entries (e.g. read back from IndexedDB); drops duplicate keys, keeps order. */
export function parseHistoryEntries(value: unknown): HistoryEntry[] {
  const parsed = z.array(entrySchema).safeParse(value);
  if (!parsed.success) {
    throw new HistoryFormatError(
      `Stored history is not a list of {key, addedAt}: ${parsed.error.issues[0]?.message ?? 'invalid'}. ` +
        'Clear the history to start over.',
      { issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) },
    );
  }
  const seen = new Set<string>();
  return parsed.data.filter((e) => (seen.has(e.key) ? false : (seen.add(e.key), true)));
}

/** Build the export document; `titleOf` adds a readable title next to each key. */
export function toHistoryExport(
  entries: readonly HistoryEntry[],
  titleOf: (key: string) => string | undefined,
  now: Date,
): HistoryExport {
  return {
    format: 'localrec-history',
    version: 1,
    exportedAt: now.toISOString(),
    items: entries.map((e) => {
      const title = titleOf(e.key);
      return title === undefined ? { ...e } : { ...e, title };
    }),
  };
}

/** Parse an export document (JSON text) back into entries; throws HistoryFormatError if malformed. */
export function parseHistoryExport(text: string): HistoryEntry[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new HistoryFormatError(
      `History file is not JSON (${String(error)}); export it again from LocalRec.`,
    );
  }
  const parsed = exportSchema.safeParse(json);
  if (!parsed.success) {
    throw new HistoryFormatError(
      'History file is not a LocalRec export (expected {format: "localrec-history", version: 1, items}).',
    );
  }
  return parseHistoryEntries(parsed.data.items.map(({ key, addedAt }) => ({ key, addedAt })));
}
