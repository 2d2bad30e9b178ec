/**
 * The Why panel (WhyPanel.svelte, rendered with Svelte's server renderer): readable titles, and an
 * occlusion figure that says which way it points.
 */
import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import WhyPanel from '../../src/components/WhyPanel.svelte';
import type { ExplanationFacts } from '../../src/rec/explain-facts.ts';

const facts: ExplanationFacts = {
  itemId: 9,
  title: 'Heat',
  drivers: [{ itemId: 1, title: 'Rock, The', index: 0, drop: 0.25, attention: 0.3 }],
  attention: [{ itemId: 1, title: 'Rock, The', weight: 0.3 }],
  occlusion: [
    { itemId: 1, title: 'Rock, The', drop: 0.25 },
    { itemId: 2, title: 'Groundhog Day', drop: -0.45 },
  ],
  shared: [],
  profileLine: 'Mostly Action.',
};

/** The panel's rows: [title, occlusion text, occlusion tooltip]. */
function rows(): string[][] {
  const { body } = render(WhyPanel, { props: { facts } });
  const row = /<tr><td[^>]*>([^<]*)<\/td>[\s\S]*?<span class="muted" title="([^"]*)">([^<]*)<\/span>/g;
  return [...body.matchAll(row)].map((m) => [m[1], m[3], m[2].replace(/&#39;/g, "'")]);
}

describe('WhyPanel', () => {
  it('names history items by their readable title', () => {
    expect(rows().map((r) => r[0])).toEqual(['The Rock', 'Groundhog Day']);
  });

  it('says a negative occlusion counts against the recommendation (before: a bare "-0.450")', () => {
    expect(rows().map((r) => r.slice(1))).toEqual([
      ['0.250', "without it this item's score would be 0.250 lower"],
      [
        '-0.450 against',
        "without it this item's score would be 0.450 higher: it counts against this recommendation",
      ],
    ]);
  });
});
