/**
 * Fuzzing the LLaMA model loaders a user can hand a file to (fixed seed, fixed count): the real
 * stories260K checkpoints as GGUF, llama2.c v0 (fp32) and llama2.c v2 (Q8_0) with their headers
 * mutated, and its llama2.c tokenizer (tok512.bin) mutated anywhere. Loading a whole model
 * (config, every tensor, the embedded vocabulary) must return or throw a ModelFileError,
 * LlamaConfigError or LlamaWeightsError — never a TypeError, RangeError, a hang or an allocation
 * sized from a corrupt header (memory may grow by at most modelMemoryLimit of the file size).
 */
import { existsSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LlamaConfigError } from '../../src/llm/config.ts';
import { ModelFileError } from '../../src/llm/load/errors.ts';
import { parseGguf } from '../../src/llm/load/gguf.ts';
import { loadLlamaFile } from '../../src/llm/load/model-file.ts';
import { readLlama2cTokenizer } from '../../src/llm/load/tokenizer-files.ts';
import { LlamaWeightsError } from '../../src/llm/weights.ts';
import { requireOrSkip } from '../helpers/require.ts';
import {
  FUZZ_RUNS,
  expectNamedFailure,
  modelMemoryLimit,
  mutate,
  mutateHeader,
  mutations,
} from './mutations.ts';

const DIR = new URL('../../../shared/models/stories260K/', import.meta.url);
const FILES = ['stories260K.gguf', 'stories260K.bin', 'stories260K-q8.bin', 'tok512.bin'];
const missing = requireOrSkip(
  FILES.every((name) => existsSync(new URL(name, DIR))),
  `stories260K files (${FILES.join(', ')}) not found in ${DIR.pathname}`,
);
const read = (name: string) =>
  missing ? new Uint8Array() : new Uint8Array(readFileSync(new URL(name, DIR)));

/** What loading a corrupt model may throw. */
const MODEL_ERRORS = [ModelFileError, LlamaConfigError, LlamaWeightsError];
/** llama2.c header sizes: v0 is 7 × i32; v2 ("ak42") pads its header to 256 bytes. */
const V0_HEADER_BYTES = 28;
const V2_HEADER_BYTES = 256;

describe.skipIf(missing)('LLaMA model files under random mutations', () => {
  const gguf = read('stories260K.gguf');
  const cases: [string, Uint8Array, number][] = [
    ['GGUF (stories260K.gguf)', gguf, missing ? 0 : parseGguf(gguf).dataOffset],
    ['llama2.c v0 (stories260K.bin)', read('stories260K.bin'), V0_HEADER_BYTES],
    ['llama2.c v2 Q8_0 (stories260K-q8.bin)', read('stories260K-q8.bin'), V2_HEADER_BYTES],
  ];
  for (const [name, valid, headerLength] of cases) {
    it(`${name}: loads, or throws a named model error`, () => {
      expectNamedFailure(() => loadLlamaFile(valid), []); // the unmutated file loads
      let rejected = 0; // cases that threw: the mutations must reach the error paths
      const load = (bytes: Uint8Array) => {
        try {
          return loadLlamaFile(bytes);
        } catch (error) {
          rejected++;
          throw error;
        }
      };
      fc.assert(
        fc.property(mutations, (edits) =>
          expectNamedFailure(
            () => load(mutateHeader(valid, headerLength, edits)),
            MODEL_ERRORS,
            modelMemoryLimit(valid.length),
          ),
        ),
        FUZZ_RUNS,
      );
      expect(rejected).toBeGreaterThan(FUZZ_RUNS.numRuns / 10);
    });
  }

  it('llama2.c tokenizer (tok512.bin): reads, or throws a ModelFileError', () => {
    const valid = read('tok512.bin');
    expectNamedFailure(() => readLlama2cTokenizer(valid, 512), []);
    fc.assert(
      fc.property(mutations, (edits) =>
        expectNamedFailure(
          () => readLlama2cTokenizer(mutate(valid, edits), 512),
          [ModelFileError],
          modelMemoryLimit(valid.length),
        ),
      ),
      FUZZ_RUNS,
    );
  });
});
