/**
 * Byte-level mutations for parser fuzzing (fast-check arbitraries): set, insert, delete a run,
 * truncate, and overwrite a little-endian u32 with a boundary value (absurd lengths and counts).
 */
import fc from 'fast-check';

/** One edit of a byte string; positions are taken modulo the current length. */
export type Mutation =
  | { kind: 'set' | 'insert'; at: number; value: number }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'u32'; at: number; value: number };

/** Bytes that matter to text formats (separators, quotes, line ends, signs, digits) and to binary headers. */
const INTERESTING_BYTES = [0, 9, 10, 13, 34, 44, 45, 46, 48, 49, 57, 58, 59, 101, 123, 125, 127, 128, 255];

const byte = fc.oneof(fc.constantFrom(...INTERESTING_BYTES), fc.integer({ min: 0, max: 255 }));

/** One random mutation. */
export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constantFrom('set' as const, 'insert' as const), at: fc.nat(), value: byte }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 32 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('u32' as const),
    at: fc.nat(),
    value: fc.constantFrom(0, 1, 0xff, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff),
  }),
);

/** 1–6 mutations. */
export const mutations = fc.array(mutation, { minLength: 1, maxLength: 6 });

/** The parts joined into one new array (typed-array copies: no per-byte spreading of large files). */
function concatBytes(...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0)); // [sum of part lengths]
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** `bytes` with the mutations applied in order (the input is not modified). */
export function mutate(bytes: Uint8Array, edits: readonly Mutation[]): Uint8Array {
  let out = Uint8Array.from(bytes); // [len]
  for (const m of edits) {
    const at = out.length === 0 ? 0 : m.at % out.length;
    if (m.kind === 'set' && out.length > 0) out[at] = m.value;
    else if (m.kind === 'insert')
      out = concatBytes(out.subarray(0, at), Uint8Array.of(m.value), out.subarray(at));
    else if (m.kind === 'delete') out = concatBytes(out.subarray(0, at), out.subarray(at + m.length));
    else if (m.kind === 'truncate') out = out.slice(0, at);
    else if (m.kind === 'u32' && out.length >= 4) {
      new DataView(out.buffer).setUint32(Math.min(at, out.length - 4), m.value, true);
    }
  }
  return out;
}

/**
 * `bytes` with only its first `headerLength` bytes mutated and the rest appended unchanged: for
 * model files whose header (counts, shapes, offsets) is small next to the tensor data.
 */
export function mutateHeader(
  bytes: Uint8Array,
  headerLength: number,
  edits: readonly Mutation[],
): Uint8Array {
  return concatBytes(mutate(bytes.subarray(0, headerLength), edits), bytes.subarray(headerLength));
}

/** Error classes a parser may throw on bad input. */
export type ErrorClass = abstract new (...args: never[]) => Error;

/** Bytes of JS heap plus ArrayBuffers in use now (allocations since an earlier reading show as growth). */
function memoryInUse(): number {
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
}

/**
 * Runs `parse`; passes when it returns or throws one of `allowed`. Anything else (TypeError,
 * RangeError from an absurd allocation, …) is rethrown with the offending error's name. With
 * `memoryLimit`, memory in use may grow by at most that many bytes while `parse` runs: an
 * allocation sized from a corrupt header that happens to succeed fails the case too (garbage
 * collection can only lower the reading, so the check never fails a parser that stays within it).
 */
export function expectNamedFailure(
  parse: () => unknown,
  allowed: readonly ErrorClass[],
  memoryLimit = Infinity,
): void {
  const before = memoryInUse();
  const checkMemory = () => {
    const grown = memoryInUse() - before;
    if (grown > memoryLimit)
      throw new Error(`parser allocated ${grown} bytes, over the limit of ${memoryLimit} for this input`);
  };
  try {
    parse();
  } catch (error) {
    checkMemory();
    if (allowed.some((cls) => error instanceof cls)) return;
    const name = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    throw new Error(`parser threw an unnamed error: ${name}`);
  }
  checkMemory();
}

/** The memory limit the model-file fuzz tests give a parser: f32 expansion of every byte, copies, slack. */
export function modelMemoryLimit(inputBytes: number): number {
  return 32 * inputBytes + 16 * 2 ** 20;
}

/** Fixed seed and run count shared by every fuzz test (reproducible, bounded time). */
export const FUZZ_RUNS = { seed: 20261122, numRuns: 300 } as const;
