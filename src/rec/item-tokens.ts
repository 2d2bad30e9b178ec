/**
 * Item tokens of a rec-tuned LLaMA ("llama-rec", models/train/rec_tune.py): one vocabulary row per
 * catalog item after the base vocabulary (item id i → token baseVocab + i − 1), and the prompt the
 * model was tuned on (docs/PROMPTS.md):
 *   BOS + frame("history:") + last ≤ historyTokens item tokens + frame("candidates:")
 *       + candidate item tokens (SASRec order) + frame("next:")
 * The logit of a candidate's item token at the last position is its LLM score.
 */
import { z } from 'zod';

/** The rec manifest (`models/<id>/manifest.json`) does not describe a llama-rec model we can run. */
export class RecManifestError extends Error {
  override readonly name = 'RecManifestError';
}

/** A prompt asks for an item id outside 1..itemCount. */
export class ItemTokenError extends Error {
  override readonly name = 'ItemTokenError';
}

const tokenIds = z.array(z.number().int().nonnegative()).min(1);

/** The prompt kinds a llama-rec model can be tuned on (see the module comment). */
export const REC_PROMPTS = ['history+candidates', 'history'] as const;

/** What the pipeline reads from a llama-rec manifest (written by rec_tune.py + rec-package). */
export const RecManifestSchema = z.object({
  id: z.string(),
  arch: z.literal('llama-rec'),
  /** the SASRec model id whose candidates and item embeddings this model was tuned on */
  sasrec: z.string(),
  baseVocab: z.number().int().positive(),
  itemCount: z.number().int().positive(),
  /** candidates re-ranked per request (SASRec top-C) */
  candidates: z.number().int().positive(),
  historyTokens: z.number().int().positive(),
  /** which prompt the model was tuned on; manifests written before rec_seq.py have none */
  prompt: z.enum(REC_PROMPTS).default('history+candidates'),
  /** token ids of the prompt's text frames ("candidates:" and "next:" only for "history+candidates") */
  frames: z.object({
    'history:': tokenIds,
    'candidates:': tokenIds.optional(),
    'next:': tokenIds.optional(),
  }),
  lora: z.object({ r: z.number().int().positive(), alpha: z.number() }),
  /** w in z(SASRec) + w · log-softmax(LLM logits over the candidates), chosen on the validation split */
  fusionWeight: z.number().nonnegative(),
  /** GGUF files by scheme, relative to the model directory */
  files: z.record(z.string(), z.object({ file: z.string(), bytes: z.number().int().positive() })).optional(),
});

/** A parsed llama-rec manifest. */
export type RecManifest = z.infer<typeof RecManifestSchema>;

/** Validates manifest JSON text. */
export function parseRecManifest(text: string): RecManifest {
  const parsed = RecManifestSchema.safeParse(JSON.parse(text));
  if (!parsed.success) {
    throw new RecManifestError(
      `not a llama-rec manifest: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}` +
        ' (write it with models/train/rec_tune.py or rec_seq.py)',
    );
  }
  candidateFrames(parsed.data); // a "history+candidates" model needs both frames
  return parsed.data;
}

/** Token id of item `id` (1..itemCount). */
export function itemToken(manifest: RecManifest, id: number): number {
  if (!Number.isInteger(id) || id < 1 || id > manifest.itemCount) {
    throw new ItemTokenError(`item id ${id} is outside 1..${manifest.itemCount} of ${manifest.id}`);
  }
  return manifest.baseVocab + id - 1;
}

/** The tuned prompt as token ids [p]; history oldest first (only its last historyTokens items are used). */
export function recPrompt(
  manifest: RecManifest,
  history: ArrayLike<number>,
  candidates: ArrayLike<number>,
): Int32Array {
  const items = (ids: ArrayLike<number>) => Array.from(ids, (id) => itemToken(manifest, id));
  const recent = Array.from(history).slice(-manifest.historyTokens);
  const head = [1, ...manifest.frames['history:'], ...items(recent)]; // BOS + history
  if (manifest.prompt === 'history') return Int32Array.from(head);
  const frames = candidateFrames(manifest);
  return Int32Array.from([...head, ...frames.candidates, ...items(candidates), ...frames.next]);
}

/** The "candidates:" and "next:" frames of a "history+candidates" manifest, or a RecManifestError. */
function candidateFrames(manifest: RecManifest): { candidates: number[]; next: number[] } {
  const candidates = manifest.frames['candidates:'];
  const next = manifest.frames['next:'];
  if (manifest.prompt === 'history' || (candidates && next))
    return { candidates: candidates ?? [], next: next ?? [] };
  throw new RecManifestError(
    `${manifest.id}: prompt "history+candidates" needs frames "candidates:" and "next:" (write the manifest with models/train/rec_tune.py)`,
  );
}
