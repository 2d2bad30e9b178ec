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

/** `bytes` with the mutations applied in order (the input is not modified). */
export function mutate(bytes: Uint8Array, edits: readonly Mutation[]): Uint8Array {
  let out = Uint8Array.from(bytes); // [len]
  for (const m of edits) {
    const at = out.length === 0 ? 0 : m.at % out.length;
    if (m.kind === 'set' && out.length > 0) out[at] = m.value;
    else if (m.kind === 'insert')
      out = Uint8Array.from([...out.subarray(0, at), m.value, ...out.subarray(at)]);
    else if (m.kind === 'delete')
      out = Uint8Array.from([...out.subarray(0, at), ...out.subarray(at + m.length)]);
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
  const head = mutate(bytes.subarray(0, headerLength), edits); // [≈headerLength]
  const data = bytes.subarray(headerLength); // [file bytes - headerLength]
  const out = new Uint8Array(head.length + data.length); // [mutated file]
  out.set(head);
  out.set(data, head.length);
  return out;
}

/** Error classes a parser may throw on bad input. */
export type ErrorClass = abstract new (...args: never[]) => Error;

/**
 * Runs `parse`; passes when it returns or throws one of `allowed`. Anything else (TypeError,
 * RangeError from an absurd allocation, …) is rethrown with the offending error's name.
 */
export function expectNamedFailure(parse: () => unknown, allowed: readonly ErrorClass[]): void {
  try {
    parse();
  } catch (error) {
    if (allowed.some((cls) => error instanceof cls)) return;
    const name = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    throw new Error(`parser threw an unnamed error: ${name}`);
  }
}

/** Fixed seed and run count shared by every fuzz test (reproducible, bounded time). */
export const FUZZ_RUNS = { seed: 20261122, numRuns: 300 } as const;
