/**
 * Element-wise closeness assertion shared by the SASRec tests; failures print index, got and want.
 */
import { expect } from 'vitest';

/** |got − want| ≤ tol·max(1, |want|) for every element (relative, with an absolute floor near 0). */
export function expectClose(
  got: ArrayLike<number>,
  want: ArrayLike<number>,
  tol: number,
  what: string,
): void {
  expect(got.length, `${what}: length`).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const limit = tol * Math.max(1, Math.abs(want[i]));
    expect(Math.abs(got[i] - want[i]), `${what}[${i}]: got ${got[i]}, want ${want[i]}`).toBeLessThanOrEqual(
      limit,
    );
  }
}
