/**
 * TALLRec's P(yes) beside a recommended item (InterestBadge.svelte, Svelte's server renderer): a rounded
 * percentage on screen, and for screen readers and the tooltip a sentence with the model's held-out AUC.
 */
import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import InterestBadge from '../../src/components/InterestBadge.svelte';

describe('InterestBadge', () => {
  it('shows "♥ N %" and tells screen readers what it is and how good the model is', () => {
    const { body } = render(InterestBadge, { props: { pYes: 0.7849, testAuc: 0.6906 } });
    expect(body).toContain('<span aria-hidden="true">♥ 78 %</span>');
    expect(body).toMatch(
      /<span class="sr-only[^"]*">The language model puts the chance that you would like it at 78 %/,
    );
    expect(body).toContain('ROC AUC 0.69 on held-out ml-latest-small ratings');
    expect(render(InterestBadge, { props: { pYes: 0.004, testAuc: 0.7 } }).body).toContain('♥ 0 %');
  });
});
