/**
 * The real stories260K files from ../shared/models/stories260K (MIT, llama2.c / tinyllamas):
 * tests that use them skip with a visible reason when the directory is absent (fail under CI=true).
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { requireOrSkip } from '../helpers/require.ts';

/** Where the shared stories260K files live (LOCALREC_STORIES_DIR overrides). */
export const STORIES_DIR =
  process.env.LOCALREC_STORIES_DIR ?? resolve(import.meta.dirname, '../../../shared/models/stories260K');

const FILES = ['stories260K.bin', 'stories260K.gguf', 'stories260K-q8.bin', 'tok512.bin'] as const;

/** True (= skip) when any stories260K file is missing. */
export const noStories = requireOrSkip(
  FILES.every((f) => existsSync(resolve(STORIES_DIR, f))),
  `stories260K files not found in ${STORIES_DIR} (need ${FILES.join(', ')})`,
);

/** Bytes of one stories260K file. */
export function storiesFile(name: (typeof FILES)[number]): Uint8Array {
  return new Uint8Array(readFileSync(resolve(STORIES_DIR, name)));
}

/** llama2.c's published greedy output for stories260K from BOS (doc/stories260K.md, 60 steps). */
export const REFERENCE_GREEDY_TEXT =
  'Once upon a time, there was a little girl named Lily. She loved to play outside in the park. ' +
  'One day, she saw a big, red ball. She wanted to play with it, but it was too high';
