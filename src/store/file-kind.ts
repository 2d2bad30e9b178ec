/**
 * What the user handed the Models panel (picker, drop or URL): a GGUF language model, a SASRec
 * bundle (manifest.json + weights .safetensors + items.json) or an interactions CSV. Decided from
 * the names and the first bytes; anything else is refused by name with the accepted types.
 */
import { LocalRecError } from '../protocol/errors.ts';

/** The file is none of the types the Models panel accepts. */
export class UnsupportedFileError extends LocalRecError {
  override name = 'UnsupportedFileError';
}

/** The accepted types, for messages and the picker's `accept`. */
export const ACCEPTED_FILES =
  'a GGUF language model (.gguf), a SASRec bundle (manifest.json + weights.safetensors + items.json, picked together) or an interactions CSV (.csv)';

/** What a set of picked files is. */
export type PickedKind = 'gguf' | 'sasrec-bundle' | 'csv';

/** A picked file: its name and its first bytes (at least 4 when the file has them). */
export interface PickedHead {
  name: string;
  head: Uint8Array; // [≤ 64]
}

const BUNDLE_NAME = /^(manifest\.json|items\.json|.*\.safetensors)$/i;

function startsWithText(head: Uint8Array, text: string): boolean {
  return head.byteLength >= text.length && [...text].every((c, i) => head[i] === c.charCodeAt(0));
}

/** Classify one or more picked files; UnsupportedFileError names what was found and what is accepted. */
export function classifyPicked(files: readonly PickedHead[]): PickedKind {
  if (files.length === 0) throw new UnsupportedFileError(`No file was given; pick ${ACCEPTED_FILES}.`);
  if (files.every((f) => BUNDLE_NAME.test(f.name))) return 'sasrec-bundle';
  if (files.length === 1) {
    const [{ name, head }] = files;
    if (startsWithText(head, 'GGUF')) return 'gguf';
    if (/\.(csv|tsv)$/i.test(name) && !head.includes(0)) return 'csv';
  }
  const names = files.map((f) => f.name).join(', ');
  throw new UnsupportedFileError(
    `${names}: not a file LocalRec can load. It accepts ${ACCEPTED_FILES}.` +
      (files.length > 1 ? ' Load one model at a time.' : ''),
  );
}
