/**
 * Fuzzing the GGUF reader: the header of the real stories260K GGUF (metadata, tokenizer arrays,
 * tensor table) is mutated at random (fixed seed, fixed count) and the tensor data appended
 * unchanged; parsing and decoding every tensor must return or throw a ModelFileError
 * (GgufFormatError / UnsupportedQuantizationError), never a TypeError, RangeError or an
 * allocation sized from a corrupt count.
 */
import { existsSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { ModelFileError } from '../../src/llm/load/errors.ts';
import { parseGguf, readGgufTensor } from '../../src/llm/load/gguf.ts';
import { requireOrSkip } from '../helpers/require.ts';
import { FUZZ_RUNS, expectNamedFailure, modelMemoryLimit, mutateHeader, mutations } from './mutations.ts';

const GGUF_PATH = new URL('../../../shared/models/stories260K/stories260K.gguf', import.meta.url);
const missing = requireOrSkip(existsSync(GGUF_PATH), `stories260K.gguf not found at ${GGUF_PATH.pathname}`);

/** Parses `bytes` and decodes every tensor it lists. */
function parseAndDecodeAll(bytes: Uint8Array): void {
  const file = parseGguf(bytes);
  for (const name of file.tensors.keys()) readGgufTensor(file, bytes, name);
}

describe.skipIf(missing)('GGUF reader under random header mutations', () => {
  const valid = missing ? new Uint8Array() : new Uint8Array(readFileSync(GGUF_PATH)); // [file bytes]
  const headerLength = missing ? 0 : parseGguf(valid).dataOffset;

  it('the unmutated file parses and decodes', () => {
    expectNamedFailure(() => parseAndDecodeAll(valid), []);
  });

  it('returns or throws a ModelFileError', () => {
    fc.assert(
      fc.property(mutations, (edits) =>
        expectNamedFailure(
          () => parseAndDecodeAll(mutateHeader(valid, headerLength, edits)),
          [ModelFileError],
          modelMemoryLimit(valid.length),
        ),
      ),
      FUZZ_RUNS,
    );
  });
});
