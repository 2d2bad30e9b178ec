/**
 * TALLRec's interest(history, item) → P(yes) in the page's LLM worker (handlers in
 * src/rec/interest-handler.ts): the page's interest model directory (models/<id>/, written by
 * `npm run interest:package`, arch "llama-interest") and its two requests.
 */
import { z } from 'zod';
import { parseInterestManifest, InterestManifestError, type InterestManifest } from './interest.ts';
import type { RecScheme } from './pipeline-protocol.ts';

const pageFields = z.object({
  id: z.string().min(1),
  arch: z.literal('llama-interest'),
  /** the SASRec model whose item ids are the model's item tokens */
  sasrec: z.string().min(1),
  /** GGUF files by scheme, relative to the model directory */
  files: z.record(
    z.string(),
    z.object({
      file: z.string().min(1),
      bytes: z.number().int().positive(),
      sha256: z.string().regex(/^[0-9a-f]{64}$/),
    }),
  ),
  default: z.enum(['f32', 'q8_0', 'q4_0']).optional(),
  /** history items per prompt (the model was tuned on the 10 most recent) */
  historyItems: z.number().int().positive(),
  /** test ROC AUC of the PyTorch model on its held-out samples (rec_interest_page.py) */
  testAuc: z.number().min(0).max(1),
  /** the same with every history item marked liked, as the page's history is */
  testAucAllLiked: z.number().min(0).max(1),
});

/** A page interest model's manifest: the prompt fields (interest.ts) + where its GGUFs are. */
export type InterestPageManifest = InterestManifest & z.infer<typeof pageFields>;

/** Validates a page interest manifest (parsed JSON); InterestManifestError names what is wrong. */
export function parseInterestPageManifest(json: unknown): InterestPageManifest {
  const page = pageFields.safeParse(json);
  if (!page.success) {
    throw new InterestManifestError(
      `not a page interest manifest: ${page.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}` +
        ' (write it with npm run interest:package)',
    );
  }
  return { ...parseInterestManifest(json), ...page.data };
}

/** Params of `interest.load`: the interest model directory on the page's origin. */
export interface InterestLoadParams {
  /** e.g. "models/ml-latest-small-llama-interest/manifest.json" */
  manifestUrl: string;
  /** default: the manifest's `default` scheme, else q8_0 */
  scheme?: RecScheme;
  /** the SASRec model id the page ranks with; refused when the model's item tokens are another's */
  sasrecId: string;
}

/** Result of `interest.load`. */
export interface InterestLoadResult {
  modelId: string;
  file: string;
  bytes: number;
  from: 'store' | 'network';
  /** history items a prompt holds (the most recent; `interest.score` reads no more) */
  historyItems: number;
  /** the model's test AUCs (as shown on the page) */
  testAuc: number;
  testAucAllLiked: number;
  ms: number;
}

/** Params of `interest.score`: the page's history (every item liked, oldest first) and the items to judge. */
export interface InterestScoreParams {
  /** dense SASRec ids, oldest first; the last `historyItems` are used */
  history: number[];
  /** [n] items to judge */
  items: number[];
}

/** Result of `interest.score`: P(yes) per item, same order. */
export interface InterestScoreResult {
  /** [n] */
  pYes: number[];
  ms: number;
}

/** The interest model's map request kind → {params, result}. */
export type InterestRequestMap = {
  'interest.load': { params: InterestLoadParams; result: InterestLoadResult };
  'interest.score': { params: InterestScoreParams; result: InterestScoreResult };
};
