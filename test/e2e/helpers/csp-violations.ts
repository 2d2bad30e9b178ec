/**
 * Content-Security-Policy violations a page reports (securitypolicyviolation events), recorded from
 * before any page script runs.
 */
import type { Page } from 'playwright-core';

/** One policy violation the page reported. */
export interface Violation {
  directive: string;
  blocked: string;
}

/** Start recording on `page` (call before page.goto); the returned function reads what was seen so far. */
export async function recordPolicyViolations(page: Page): Promise<() => Promise<Violation[]>> {
  await page.addInitScript(() => {
    const seen: Violation[] = [];
    (globalThis as unknown as { violations: Violation[] }).violations = seen;
    document.addEventListener('securitypolicyviolation', (e) =>
      seen.push({ directive: e.effectiveDirective, blocked: e.blockedURI }),
    );
  });
  return () => page.evaluate(() => (globalThis as unknown as { violations: Violation[] }).violations);
}
