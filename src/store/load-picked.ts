/**
 * What the Models panel does with picked files: a SASRec bundle is checked and kept in the store
 * (the page's worker then loads it from there); a GGUF is checked header-first against the device
 * budget, then kept in the store (the page's LLM worker loads it from there:
 * src/components/LlmUserModel.svelte); an interactions CSV is parsed with the data readers (bad
 * rows are reported with their line number) and summarised.
 */
import { readGenericInteractionsCsv } from '../data/formats/generic-csv.ts';
import { classifyPicked } from './file-kind.ts';
import { checkFits, describeGguf, inspectGguf, type DeviceBudget, type GgufSummary } from './gguf-check.ts';
import { importSasrecBundle, type ImportedBundle } from './import-bundle.ts';
import type { ModelStore } from './model-store.ts';
import type { PickedFile } from './picked-file.ts';
import { keepGguf } from './stored-gguf.ts';

/** The outcome of loading picked files. */
export type LoadedPick =
  | { kind: 'sasrec-bundle'; bundle: ImportedBundle }
  | { kind: 'gguf'; name: string; model: string; summary: GgufSummary }
  | { kind: 'csv'; name: string; interactions: number; users: number; items: number };

/** The line the panel shows for a loaded pick. */
export function describeLoaded(pick: LoadedPick): string {
  switch (pick.kind) {
    case 'sasrec-bundle':
      return `loaded: SASRec ${pick.bundle.name}, ${pick.bundle.itemCount} items (kept in this browser)`;
    case 'gguf':
      return `loaded: ${pick.name}, ${describeGguf(pick.summary)} (checked and kept in this browser; see Your language model)`;
    case 'csv':
      return `read: ${pick.name}, ${pick.interactions} interactions from ${pick.users} users on ${pick.items} items; train a model on it below (in this page) or with \`npm run train:sasrec -- --data ${pick.name} --out models/<id>\``;
  }
}

/** Check and keep (or read) `files`; named errors for anything wrong. */
export async function loadPicked(
  store: ModelStore,
  files: readonly PickedFile[],
  budget: () => Promise<DeviceBudget>,
): Promise<LoadedPick> {
  const heads = await Promise.all(files.map(async (f) => ({ name: f.name, head: await f.slice(0, 64) })));
  const kind = classifyPicked(heads);
  if (kind === 'sasrec-bundle') {
    const byName = new Map(await Promise.all(files.map(async (f) => [f.name, await f.bytes()] as const)));
    return { kind, bundle: await importSasrecBundle(store, byName) };
  }
  const [file] = files;
  if (kind === 'gguf') {
    const summary = await inspectGguf((n) => file.slice(0, n), file.size);
    checkFits(summary, await budget());
    const model = await keepGguf(store, await file.bytes(), file.name, summary);
    return { kind, name: file.name, model, summary };
  }
  const interactions = readGenericInteractionsCsv(new Uint8Array(await file.bytes()), file.name);
  return {
    kind,
    name: file.name,
    interactions: interactions.length,
    users: new Set(interactions.map((i) => i.user)).size,
    items: new Set(interactions.map((i) => i.item)).size,
  };
}
