/**
 * The two evaluation protocols on leave-one-out cases (see src/data/split.ts):
 *  - full: the target is ranked against every item 1..N;
 *  - sampled: the target is ranked against `negatives` (default 100) items drawn uniformly, without
 *    replacement, from the items the user never interacted with (seeded per user, so a user's
 *    negatives do not depend on which other users are evaluated or in what order).
 * In both, the items of the user's input history are excluded from ranking (the model should not
 * get credit or blame for re-recommending what the user already has); the target itself is never
 * excluded, even when it also occurs in the history.
 * Ties are pessimistic: every candidate scoring >= the target is counted above it, so a constant
 * scorer ranks the target last instead of first.
 */
import type { EvalCase } from '../data/split.ts';
import { ScorerOutputError } from './errors.ts';
import { summarizeRanks, type RankingMetrics } from './metrics.ts';
import { deriveSeed, Rng } from './random.ts';

/** A model under test: history (dense ids, time order) → scores [N + 1] by dense id (index 0 ignored). */
export type Scorer = (history: Int32Array) => Float32Array | Promise<Float32Array>;

/** Protocol names. */
export type ProtocolName = 'full' | 'sampled';

/** Options of `evaluate`. */
export interface EvaluateOptions {
  /** number of items N (scores have length N + 1) */
  itemCount: number;
  /** negatives per user for the sampled protocol (default 100) */
  negatives?: number;
  /** seed for negative sampling (default 42) */
  seed?: number;
  /** called after each user */
  onProgress?: (done: number, total: number) => void;
}

/** Result of one protocol. */
export interface ProtocolResult {
  protocol: ProtocolName;
  /** 0-based rank of the target per case, in case order; [cases] */
  ranks: Int32Array;
  metrics: RankingMetrics;
}

/** Both protocols from one scoring pass. */
export interface EvaluationResult {
  full: ProtocolResult;
  sampled: ProtocolResult;
}

/** Default number of sampled negatives (SASRec paper). */
export const DEFAULT_NEGATIVES = 100;
/** Default negative-sampling seed. */
export const DEFAULT_SEED = 42;

/**
 * Score every case once and rank its target under both protocols.
 * @throws ScorerOutputError when the scorer returns the wrong length or a NaN score
 */
export async function evaluate(
  cases: readonly EvalCase[],
  scorer: Scorer,
  options: EvaluateOptions,
): Promise<EvaluationResult> {
  const { itemCount } = options;
  const negatives = options.negatives ?? DEFAULT_NEGATIVES;
  const seed = options.seed ?? DEFAULT_SEED;
  const fullRanks = new Int32Array(cases.length); // [cases]
  const sampledRanks = new Int32Array(cases.length); // [cases]
  const excluded = new Uint8Array(itemCount + 1); // [N + 1] scratch mask, all 0 between cases
  for (let c = 0; c < cases.length; c++) {
    const { history, target, interacted, user } = cases[c];
    const scores = checkScores(await scorer(history), itemCount, target);
    setMask(excluded, history, 1);
    excluded[target] = 0;
    fullRanks[c] = rankFull(scores, target, excluded);
    setMask(excluded, history, 0);
    const candidates = sampleNegatives(interacted, itemCount, negatives, new Rng(deriveSeed(seed, user)));
    sampledRanks[c] = rankAmong(scores, target, candidates);
    options.onProgress?.(c + 1, cases.length);
  }
  return {
    full: { protocol: 'full', ranks: fullRanks, metrics: summarizeRanks(fullRanks) },
    sampled: { protocol: 'sampled', ranks: sampledRanks, metrics: summarizeRanks(sampledRanks) },
  };
}

/**
 * Rank of `target` among items 1..N not marked in `excluded` (pessimistic ties).
 * @param scores [N + 1]
 * @param excluded 1 = not a candidate; [N + 1]
 */
export function rankFull(scores: Float32Array, target: number, excluded: Uint8Array): number {
  const t = scores[target];
  let rank = 0;
  for (let j = 1; j < scores.length; j++) {
    if (j !== target && excluded[j] === 0 && scores[j] >= t) rank++;
  }
  return rank;
}

/** Rank of `target` among `candidates` (ids other than the target; pessimistic ties). scores [N + 1], candidates [m]. */
export function rankAmong(scores: Float32Array, target: number, candidates: Int32Array): number {
  const t = scores[target];
  let rank = 0;
  for (let i = 0; i < candidates.length; i++) if (scores[candidates[i]] >= t) rank++;
  return rank;
}

/**
 * Draw `count` distinct items uniformly from 1..N minus `interacted`; fewer when not enough exist.
 * @param interacted the user's items; [len]
 * @returns sampled ids; [≤ count]
 */
export function sampleNegatives(
  interacted: Int32Array,
  itemCount: number,
  count: number,
  rng: Rng,
): Int32Array {
  const seen = new Set<number>(interacted);
  const available = itemCount - [...seen].filter((id) => id >= 1 && id <= itemCount).length;
  const want = Math.min(count, available);
  if (want <= 0) return new Int32Array(0);
  if (available < 2 * want) {
    const pool = Int32Array.from({ length: itemCount }, (_, i) => i + 1).filter((id) => !seen.has(id)); // [available]
    for (let i = 0; i < want; i++) {
      const j = i + rng.nextInt(pool.length - i);
      [pool[i], pool[j]] = [pool[j], pool[i]];
    }
    return pool.slice(0, want);
  }
  const out = new Int32Array(want); // [want]
  for (let filled = 0; filled < want;) {
    const id = 1 + rng.nextInt(itemCount);
    if (!seen.has(id)) {
      seen.add(id);
      out[filled++] = id;
    }
  }
  return out;
}

function setMask(mask: Uint8Array, ids: Int32Array, value: 0 | 1): void {
  for (let i = 0; i < ids.length; i++) mask[ids[i]] = value;
}

function checkScores(scores: Float32Array, itemCount: number, target: number): Float32Array {
  if (scores.length !== itemCount + 1) {
    throw new ScorerOutputError(
      `The scorer returned ${scores.length} scores; expected ${itemCount + 1} (index 0 = padding, then items 1..${itemCount}).`,
    );
  }
  for (let j = 1; j < scores.length; j++) {
    if (Number.isNaN(scores[j]))
      throw new ScorerOutputError(
        `The scorer returned NaN for item ${j} (target ${target}); check the model weights.`,
      );
  }
  return scores;
}
