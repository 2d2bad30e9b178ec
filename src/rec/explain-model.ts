/**
 * The model-side facts of `sasrec.explain`, computed where the model is (the SASRec worker):
 * attention attribution (from the ranking session) and the occlusion check (own forwards).
 */
import type { Tensor, TensorOps } from '../gpu/ops.ts';
import type { ItemModelFacts } from '../protocol/messages-sasrec.ts';
import { attributeItem, attributionInput } from '../protocol/sasrec-attribution.ts';
import type { SasrecSession } from '../sasrec/session.ts';
import type { SasrecWeights } from '../sasrec/weights.ts';
import { forwardScorer, occludeHistory } from './explain-occlusion.ts';

/** Default cap on occluded positions (one forward each). */
export const DEFAULT_MAX_OCCLUSION = 50;

/** What `explainOnModel` needs of the loaded model. */
export interface ExplainModel {
  session: SasrecSession<Tensor>;
  ops: TensorOps<Tensor>;
  weights: SasrecWeights;
}

/** Another request changed the ranking session's history while this one read its attention. */
export class SessionRaceError extends Error {
  override name = 'SessionRaceError';
}

/**
 * The session's attention for `history`: rank it (same history as the last rank → cache reused),
 * then read the attention — again if a concurrent request re-ranked another history in between.
 */
async function attentionFor(
  session: SasrecSession<Tensor>,
  history: Int32Array,
): Promise<{ items: Int32Array; weights: Float32Array }> {
  for (let attempt = 0; attempt < 3; attempt++) {
    await session.rank(history, 1);
    const attribution = await session.attribution();
    const tail = history.subarray(history.length - attribution.items.length); // [w]
    if (tail.length === attribution.items.length && tail.every((id, j) => attribution.items[j] === id))
      return attribution;
  }
  throw new SessionRaceError(
    'other requests kept changing the ranking history; ask for the explanation again',
  );
}

/** Facts for `items` given `history`: attention top-`top` and occlusion of ≤ `maxOcclusion` positions. */
export async function explainOnModel(
  model: ExplainModel,
  history: number[],
  items: number[],
  top: number,
  maxOcclusion = DEFAULT_MAX_OCCLUSION,
): Promise<{ items: ItemModelFacts[]; occlusionConsidered: number; windowLength: number }> {
  const { session, ops, weights } = model;
  const historyIds = Int32Array.from(history); // [len]
  const { items: window, weights: attention } = await attentionFor(session, historyIds); // [w], [w]
  const input = attributionInput(weights, window, attention, history.length);
  const scorer = forwardScorer(ops, weights);
  try {
    const occlusion = await occludeHistory(
      scorer.score,
      historyIds,
      Int32Array.from(items),
      window.length,
      attention,
      maxOcclusion,
    );
    return {
      items: items.map((id, i) => ({
        attention: attributeItem(input, id, top),
        occlusion: occlusion.perItem[i],
        baseScore: occlusion.baseScores[i],
      })),
      occlusionConsidered: occlusion.considered,
      windowLength: occlusion.windowLength,
    };
  } finally {
    scorer.dispose();
  }
}
