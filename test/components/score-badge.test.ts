/**
 * The figure beside each recommended item (ScoreBadge.svelte, rendered with Svelte's server
 * renderer): under the language model's order it must agree with the order on screen.
 */
import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import ScoreBadge from '../../src/components/ScoreBadge.svelte';
import { scoreLabel } from '../../src/components/score-label.ts';
import type { ListSource } from '../../src/state/recommender.svelte.ts';

/** SASRec's top 4 (scores 4.0 … 1.0) in the language model's order: its #3, #1, #2, #4. */
const RERANKED = [
  { score: 2.0, sasrecRank: 3 },
  { score: 4.0, sasrecRank: 1 },
  { score: 3.0, sasrecRank: 2 },
  { score: 1.0, sasrecRank: 4 },
];

/** The badges of a list as a page shows them: [visible text, tooltip]. */
function badges(list: typeof RERANKED, source: ListSource): [string, string][] {
  return list.map((rec, i) => {
    const { body } = render(ScoreBadge, { props: { rec, place: i + 1, source } });
    const visible = /<span aria-hidden="true">([^<]*)<\/span>/.exec(body)?.[1] ?? '';
    const tooltip = /title="([^"]*)"/.exec(body)?.[1] ?? '';
    return [visible, tooltip.replace(/&#39;/g, "'")];
  });
}

describe('ScoreBadge', () => {
  it("under the language model's order: places moved from SASRec's, SASRec's place and score in the tooltip", () => {
    const shown = badges(RERANKED, 'sasrec+llm');
    expect(shown).toEqual([
      ['▲2', 'The language model moved it up 2 places: SASRec ranked it #3 (score 2.000)'],
      ['▼1', 'The language model moved it down 1 place: SASRec ranked it #1 (score 4.000)'],
      ['▼1', 'The language model moved it down 1 place: SASRec ranked it #2 (score 3.000)'],
      ['=', "Same place as in SASRec's order: SASRec ranked it #4 (score 1.000)"],
    ]);
    // before: the SASRec scores 2.000, 4.000, 3.000, 1.000 — a lower item showed a higher number
    expect(shown.map(([text]) => text)).not.toContain('4.000');
  });

  it("under SASRec's order: SASRec's score, which falls down the list", () => {
    const sasrec = [...RERANKED].sort((a, b) => a.sasrecRank - b.sasrecRank);
    const shown = badges(sasrec, 'sasrec');
    expect(shown.map(([text]) => text)).toEqual(['4.000', '3.000', '2.000', '1.000']);
    expect(shown[0][1]).toBe('SASRec score 4.000 (dot product with the history representation)');
  });

  it('screen readers get the sentence, not the arrow', () => {
    const { body } = render(ScoreBadge, { props: { rec: RERANKED[0], place: 1, source: 'sasrec+llm' } });
    expect(body).toContain('<span aria-hidden="true">▲2</span>');
    expect(body).toMatch(/<span class="sr-only[^"]*">The language model moved it up 2 places/);
    expect(scoreLabel(RERANKED[0], 1, 'sasrec+llm').kind).toBe('up');
  });
});
