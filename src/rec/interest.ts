/**
 * interest(history, item) → P(yes): TALLRec's "will the user like this item?" with an interest-tuned
 * LLaMA (models/train/rec_interest.py, docs/PROMPTS.md "TALLRec interest, item tokens"), two layouts:
 *   grouped: BOS + frame("liked:") + liked history item tokens + frame("disliked:") + disliked history
 *            item tokens + frame("target:") + target item token + frame("answer:")
 *   marked:  BOS + frame("history:") + per history item (oldest first) its item token + the yes token if
 *            liked else the no token + frame("target:") + target item token + frame("answer:")
 * P(yes) = sigmoid(logit(answerIds[0]) − logit(answerIds[1])) at the last position (" y" / " n").
 * Item id i → token baseVocab + i − 1, as for the re-ranker (src/rec/item-tokens.ts).
 */
import { z } from 'zod';
import type { Tensor } from '../gpu/ops.ts';
import type { LlamaForward } from '../llm/forward.ts';
import { ItemTokenError } from './item-tokens.ts';

/** Ratings above this are "liked" (TALLRec: rating > 3). */
export const LIKED_ABOVE = 3;

/** The interest model's manifest / interest.json header does not describe a model we can run. */
export class InterestManifestError extends Error {
  override readonly name = 'InterestManifestError';
}

const tokenIds = z.array(z.number().int().nonnegative()).min(1);

const commonFields = {
  baseVocab: z.number().int().positive(),
  itemCount: z.number().int().positive(),
  /** [yes token, no token] in the base vocabulary (also the marks of the "marked" layout) */
  answerIds: z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative()]),
};

/** What interest() reads from rec_interest.py's interest.json (extra fields are ignored); no `layout`
 * = "grouped" (the first exports). */
export const InterestManifestSchema = z.preprocess(
  (json) => (json && typeof json === 'object' && !('layout' in json) ? { ...json, layout: 'grouped' } : json),
  z.discriminatedUnion('layout', [
    z.object({
      ...commonFields,
      layout: z.literal('grouped'),
      frames: z.object({
        'liked:': tokenIds,
        'disliked:': tokenIds,
        'target:': tokenIds,
        'answer:': tokenIds,
      }),
    }),
    z.object({
      ...commonFields,
      layout: z.literal('marked'),
      frames: z.object({ 'history:': tokenIds, 'target:': tokenIds, 'answer:': tokenIds }),
    }),
  ]),
);

/** A parsed interest manifest. */
export type InterestManifest = z.infer<typeof InterestManifestSchema>;

/** Validates interest manifest JSON (already parsed). */
export function parseInterestManifest(json: unknown): InterestManifest {
  const parsed = InterestManifestSchema.safeParse(json);
  if (!parsed.success) {
    throw new InterestManifestError(
      `not an interest manifest: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}` +
        ' (write it with models/train/rec_interest.py --export DIR)',
    );
  }
  return parsed.data;
}

/** One rated history item. */
export interface RatedItem {
  item: number;
  rating: number;
}

function token(manifest: InterestManifest, id: number): number {
  if (!Number.isInteger(id) || id < 1 || id > manifest.itemCount) {
    throw new ItemTokenError(`item id ${id} is outside 1..${manifest.itemCount} of the interest model`);
  }
  return manifest.baseVocab + id - 1;
}

/** The interest prompt as token ids [p]; history oldest first (the caller passes the 10 most recent). */
export function interestPrompt(
  manifest: InterestManifest,
  history: readonly RatedItem[],
  target: number,
): Int32Array {
  const tail = [...manifest.frames['target:'], token(manifest, target), ...manifest.frames['answer:']];
  if (manifest.layout === 'marked') {
    const [yes, no] = manifest.answerIds;
    const body = history.flatMap((h) => [token(manifest, h.item), h.rating > LIKED_ABOVE ? yes : no]);
    return Int32Array.from([1, ...manifest.frames['history:'], ...body, ...tail]); // 1 = BOS
  }
  const { frames } = manifest;
  const liked = history.filter((h) => h.rating > LIKED_ABOVE).map((h) => token(manifest, h.item));
  const disliked = history.filter((h) => h.rating <= LIKED_ABOVE).map((h) => token(manifest, h.item));
  return Int32Array.from([1, ...frames['liked:'], ...liked, ...frames['disliked:'], ...disliked, ...tail]);
}

/** sigmoid(row[yes] − row[no]) for a logits row [vocab]. */
export function yesProbability(manifest: InterestManifest, row: Float32Array): number {
  const diff = row[manifest.answerIds[0]] - row[manifest.answerIds[1]];
  return 1 / (1 + Math.exp(-diff));
}

/** P(yes) that the user with `history` likes `target`: one prefill of the prompt, one logits row read. */
export async function interest<T extends Tensor>(
  model: LlamaForward<T>,
  manifest: InterestManifest,
  history: readonly RatedItem[],
  target: number,
): Promise<number> {
  model.reset();
  const logits = model.forward(interestPrompt(manifest, history, target)); // [1, vocab]
  const row = await model.ops.read(logits); // [vocab]
  model.ops.release(logits);
  return yesProbability(manifest, row);
}

/** ROC AUC of `scores` [n] against 0/1 `labels` [n], ties counted half; 0.5 when a class is absent. */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const idx = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let rankSumPos = 0;
  let pos = 0;
  for (let i = 0; i < idx.length;) {
    let j = i;
    while (j + 1 < idx.length && scores[idx[j + 1]] === scores[idx[i]]) j++;
    const rank = (i + j) / 2 + 1; // average 1-based rank of the tie group
    for (let k = i; k <= j; k++) {
      if (labels[idx[k]] !== 1) continue;
      rankSumPos += rank;
      pos++;
    }
    i = j + 1;
  }
  const neg = idx.length - pos;
  if (pos === 0 || neg === 0) return 0.5;
  return (rankSumPos - (pos * (pos + 1)) / 2) / (pos * neg);
}
