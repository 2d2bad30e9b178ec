/**
 * From a site's interactions to a training plan: the dataset (src/data/build.ts: dense ids 1..N in
 * key order, per-user time order), the leave-one-out split (src/data/split.ts) and a small default
 * model chosen by data size, plus the popularity baseline the trained model must beat.
 */
import { buildDataset } from '../data/build.ts';
import { leaveOneOut, type LeaveOneOutSplit } from '../data/split.ts';
import type { Dataset, Interaction } from '../data/types.ts';
import { evaluate } from '../eval/protocols.ts';
import { itemPopularity } from '../data/catalog.ts';
import { parseSasrecConfig, type SasrecConfig } from '../sasrec/config.ts';
import type { TrainSettings } from './trainer.ts';

/** A dataset ready to train on. */
export interface TrainPlan {
  dataset: Dataset;
  split: LeaveOneOutSplit;
  config: SasrecConfig;
  settings: TrainSettings;
}

/** Longest window we train with by default (the page ranks the last maxLen items of a history). */
export const DEFAULT_MAX_LEN = 50;

/** Interactions from which the default model gets a second block and rare items are dropped. */
const LARGE_LOG = 20_000;

/** In a large log, items with fewer interactions than this are dropped (as the committed models' data). */
export const MIN_ITEM_INTERACTIONS = 5;

/** The `q`-quantile of sequence lengths (0 ≤ q ≤ 1). */
function lengthQuantile(sequences: readonly Int32Array[], q: number): number {
  const lengths = sequences.map((s) => s.length).sort((a, b) => a - b);
  return lengths[Math.min(lengths.length - 1, Math.floor(q * lengths.length))] ?? 1;
}

/**
 * Small default model: d 32, 1 block (2 from 20k interactions), 1 head, window = the 90th
 * percentile of training lengths clamped to 8..50; batch 32 users (64 from 1,000 users), lr 2e-3,
 * dropout 0.2 (as the PyTorch models), stop after 10 epochs without a better validation NDCG@10.
 */
export function defaultPlan(
  dataset: Dataset,
  split: LeaveOneOutSplit,
): Pick<TrainPlan, 'config' | 'settings'> {
  const interactions = split.train.reduce((sum, s) => sum + s.length, 0);
  const maxLen = Math.max(8, Math.min(DEFAULT_MAX_LEN, lengthQuantile(split.train, 0.9)));
  const config = parseSasrecConfig({
    itemCount: dataset.items.length,
    hiddenUnits: 32,
    blocks: interactions >= LARGE_LOG ? 2 : 1,
    heads: 1,
    maxLen,
    layerNormEps: 1e-8,
    positions: 'from_start',
  });
  const settings: TrainSettings = {
    epochs: 200,
    patience: 10,
    batchSize: dataset.sequences.length >= 1000 ? 64 : 32,
    lr: 2e-3,
    seed: 42,
    windows: 'random',
    dropout: 0.2,
  };
  return { config, settings };
}

/**
 * Build the dataset, split it and choose the default model for `interactions`. From 20k
 * interactions on, items seen fewer than 5 times are dropped (too rare to learn; the committed
 * ml-latest-small model's data is filtered the same way).
 */
export function planTraining(name: string, interactions: readonly Interaction[]): TrainPlan {
  const minItemInteractions = interactions.length >= LARGE_LOG ? MIN_ITEM_INTERACTIONS : 1;
  const dataset = buildDataset(name, interactions, { minItemInteractions });
  const split = leaveOneOut(dataset);
  return { dataset, split, ...defaultPlan(dataset, split) };
}

/** Validation NDCG@10 (full ranking) of ranking by training popularity: the bar to beat. */
export async function popularityNdcg10(plan: TrainPlan): Promise<number> {
  const counts = itemPopularity(plan.split.train, plan.config.itemCount); // [N + 1]
  const scores = Float32Array.from(counts); // [N + 1]
  const result = await evaluate(plan.split.valid, () => scores, { itemCount: plan.config.itemCount });
  return result.full.metrics.ndcg[10];
}
