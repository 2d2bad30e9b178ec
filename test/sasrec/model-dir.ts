/**
 * Test helpers: read a model directory from disk through `FetchFile`, and the goldens.json format.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FetchFile } from '../../src/sasrec/weights';
import { diskFetchFile } from '../../models/tools/disk-fetch.ts';

/** One PyTorch golden: a history and its expected top-k and final hidden state. */
export interface GoldenCase {
  history: number[];
  ids: number[]; // [k]
  scores: number[]; // [k]
  lastHidden: number[]; // [d]
}

/** goldens.json written by models/train/sasrec_export.py. */
export interface Goldens {
  k: number;
  excludeHistory: boolean;
  cases: GoldenCase[];
}

/** A FetchFile reading files of `dir` from disk (shared with the CLIs). */
export { diskFetchFile };

/** A FetchFile serving in-memory files (tests build and corrupt model directories with it). */
export function memoryFetchFile(files: ReadonlyMap<string, Uint8Array>): FetchFile {
  return async (name) => {
    const bytes = files.get(name);
    if (!bytes) throw new Error(`no file "${name}" in this test directory`);
    return bytes.slice().buffer;
  };
}

/** Parse `<dir>/goldens.json`. */
export function readGoldens(dir: string): Goldens {
  return JSON.parse(readFileSync(join(dir, 'goldens.json'), 'utf8')) as Goldens;
}

/** Model directories with goldens: the committed fixtures plus every registry model that has them. */
export function goldenModelDirs(repoRoot: string): string[] {
  const dirs = ['sasrec-tiny', 'sasrec-tiny-right'].map((id) => join(repoRoot, 'test/fixtures', id));
  const registryPath = join(repoRoot, 'models/registry.json');
  if (existsSync(registryPath)) {
    const registry = JSON.parse(readFileSync(registryPath, 'utf8')) as unknown;
    for (const dir of registryModelDirs(registry, repoRoot)) {
      const manifestPath = join(dir, 'manifest.json');
      const isSasrec =
        existsSync(manifestPath) &&
        (JSON.parse(readFileSync(manifestPath, 'utf8')) as { arch?: string }).arch === 'sasrec';
      if (isSasrec && existsSync(join(dir, 'goldens.json'))) dirs.push(dir);
    }
  }
  return dirs;
}

/** Directories named by a registry: entries `{id}` or `{path}` in an array or under `models`. */
function registryModelDirs(registry: unknown, repoRoot: string): string[] {
  const list = Array.isArray(registry)
    ? registry
    : ((registry as { models?: unknown[] } | null)?.models ?? []);
  return list.flatMap((entry) => {
    const { id, path, dir } = (entry ?? {}) as { id?: string; path?: string; dir?: string };
    const relative = path ?? dir ?? (id ? `models/${id}` : undefined);
    return relative ? [join(repoRoot, relative)] : [];
  });
}
