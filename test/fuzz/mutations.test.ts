/**
 * The fuzzing harness itself: mutations are applied as described, and expectNamedFailure fails a
 * parser that throws an unnamed error or allocates past the memory limit.
 */
import { describe, expect, it } from 'vitest';
import { expectNamedFailure, mutate, mutateHeader } from './mutations.ts';

class NamedTestError extends Error {}

describe('mutate', () => {
  const bytes = Uint8Array.of(1, 2, 3, 4, 5, 6);

  it('sets, inserts, deletes and truncates at positions taken modulo the length', () => {
    expect(Array.from(mutate(bytes, [{ kind: 'set', at: 7, value: 9 }]))).toEqual([1, 9, 3, 4, 5, 6]);
    expect(Array.from(mutate(bytes, [{ kind: 'insert', at: 2, value: 0 }]))).toEqual([1, 2, 0, 3, 4, 5, 6]);
    expect(Array.from(mutate(bytes, [{ kind: 'delete', at: 1, length: 2 }]))).toEqual([1, 4, 5, 6]);
    expect(Array.from(mutate(bytes, [{ kind: 'truncate', at: 4 }]))).toEqual([1, 2, 3, 4]);
    expect(Array.from(mutate(bytes, [{ kind: 'u32', at: 5, value: 0xffffffff }]))).toEqual([
      1, 2, 255, 255, 255, 255,
    ]);
    expect(Array.from(bytes)).toEqual([1, 2, 3, 4, 5, 6]); // the input is untouched
  });

  it('mutateHeader edits only the header and keeps the rest', () => {
    const out = mutateHeader(bytes, 2, [{ kind: 'insert', at: 0, value: 7 }]);
    expect(Array.from(out)).toEqual([7, 1, 2, 3, 4, 5, 6]);
  });
});

describe('expectNamedFailure', () => {
  it('passes on a return or an allowed error, fails on any other error', () => {
    expect(() => expectNamedFailure(() => 1, [])).not.toThrow();
    const named = () => {
      throw new NamedTestError('bad header');
    };
    expect(() => expectNamedFailure(named, [NamedTestError])).not.toThrow();
    expect(() => expectNamedFailure(named, [])).toThrow(/unnamed error: Error: bad header/);
    expect(() => expectNamedFailure(() => new Array(-1), [NamedTestError])).toThrow(/RangeError/);
  });

  it('fails a parser that allocates past the memory limit', () => {
    let kept: Float64Array | undefined; // [8M], alive while the limit is checked
    const allocate = () => {
      kept = new Float64Array(8_000_000);
    };
    expect(() => expectNamedFailure(allocate, [], 16 * 2 ** 20)).toThrow(
      /allocated \d+ bytes, over the limit/,
    );
    expect(kept?.length).toBe(8_000_000);
  });
});
