/**
 * Shared helpers of the FastCpuOps tests: seeded random arrays and a closeness check that scans
 * every element but asserts once, reporting the worst index with its got / want values.
 */
import { expect } from 'vitest';

/** `size` seeded uniform values in [-range, range). */
export function randomArray(random: () => number, size: number, range = 1): Float32Array {
  return Float32Array.from({ length: size }, () => (random() * 2 - 1) * range); // [size]
}

/** |got − want| ≤ tol·max(1, |want|) everywhere (NaN only where want is NaN). */
export function expectAllClose(
  got: ArrayLike<number>,
  want: ArrayLike<number>,
  tol: number,
  what: string,
): void {
  expect(got.length, `${what}: length`).toBe(want.length);
  let bad = 0;
  let worst = -1;
  let worstExcess = -Infinity;
  for (let i = 0; i < want.length; i++) {
    const excess = Math.abs(got[i] - want[i]) - tol * Math.max(1, Math.abs(want[i]));
    if (
      excess > 0 ||
      Number.isNaN(got[i]) !== Number.isNaN(want[i]) ||
      (Number.isNaN(excess) && !Number.isNaN(want[i]))
    ) {
      bad++;
      if (worst < 0 || excess > worstExcess) [worst, worstExcess] = [i, excess];
    }
  }
  if (bad > 0) {
    expect.fail(
      `${what}: ${bad}/${want.length} values off by more than ${tol} (relative); worst at ${worst}: got ${got[worst]}, want ${want[worst]}`,
    );
  }
}
