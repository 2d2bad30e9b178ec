/**
 * Optional-prerequisite gate for tests that need ../shared data or system packages.
 *
 * Usage: `describe.skipIf(requireOrSkip(existsSync(dir), 'ml-1m not found at ' + dir))(...)`.
 * Returns true (= skip) when the condition fails, printing the reason so the skip is visible.
 * Under CI=true a missing prerequisite is an error instead: nothing may silently skip in CI.
 */

/** Thrown under CI=true when a test prerequisite is missing. */
export class MissingPrerequisiteError extends Error {
  override readonly name = 'MissingPrerequisiteError';
}

/** True when running under CI (CI=true or CI=1). */
export function isCi(): boolean {
  const ci = process.env.CI?.toLowerCase();
  return ci === 'true' || ci === '1';
}

/**
 * @param available whether the prerequisite is present
 * @param reason what is missing and where it was looked for (shown when skipping)
 * @returns true when the tests should be skipped
 * @throws MissingPrerequisiteError when `available` is false under CI
 */
export function requireOrSkip(available: boolean, reason: string): boolean {
  if (available) return false;
  if (isCi()) throw new MissingPrerequisiteError(`CI=true but a test prerequisite is missing: ${reason}`);
  console.warn(`[skipped] ${reason}`);
  return true;
}
