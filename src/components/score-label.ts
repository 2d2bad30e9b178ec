/**
 * What the list shows beside each item: the figure that ordered the list. Under SASRec's order that
 * is SASRec's score (it falls down the list). Under the language model's order SASRec's score no
 * longer does — a lower item can have the higher score — so the item shows how many places the
 * language model moved it from SASRec's order (▲ up, ▼ down, = unchanged), with SASRec's place and
 * score in the description.
 */
import type { ListSource, Recommendation } from '../state/recommender.svelte.ts';

/** The badge beside one item. */
export interface ScoreLabel {
  /** shown: "3.214", "▲2", "▼1" or "=" */
  text: string;
  /** the full sentence (tooltip and screen readers) */
  description: string;
  /** how the text reads: a score, or a move up / down / none */
  kind: 'score' | 'up' | 'down' | 'same';
}

/**
 * The badge of `rec`, shown at `place` (1 = top) of a list ordered by `source`.
 * @param rec its SASRec score and place in SASRec's order
 */
export function scoreLabel(
  rec: Pick<Recommendation, 'score' | 'sasrecRank'>,
  place: number,
  source: ListSource,
): ScoreLabel {
  const score = rec.score.toFixed(3);
  if (source === 'sasrec')
    return {
      text: score,
      description: `SASRec score ${score} (dot product with the history representation)`,
      kind: 'score',
    };
  const moved = rec.sasrecRank - place;
  const sasrec = `SASRec ranked it #${rec.sasrecRank} (score ${score})`;
  if (moved === 0)
    return { text: '=', description: `Same place as in SASRec's order: ${sasrec}`, kind: 'same' };
  const places = `${Math.abs(moved)} place${Math.abs(moved) === 1 ? '' : 's'}`;
  return moved > 0
    ? { text: `▲${moved}`, description: `The language model moved it up ${places}: ${sasrec}`, kind: 'up' }
    : {
        text: `▼${-moved}`,
        description: `The language model moved it down ${places}: ${sasrec}`,
        kind: 'down',
      };
}
