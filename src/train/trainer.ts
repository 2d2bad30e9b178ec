/**
 * The in-page SASRec training loop: seeded shuffled batches of one window per user and epoch
 * (src/train/batch.ts), Adam, validation NDCG@10 on the leave-one-out validation cases after every
 * epoch (src/eval: full ranking, history excluded), early stop after `patience` epochs without a
 * better validation NDCG@10; the best epoch's weights are returned.
 *
 * Loss: full-softmax cross-entropy over every item (as the committed PyTorch models, `--loss ce`).
 * At the data sizes a page trains on (≤ ~10k items) its cost, 3·N·d multiply-adds per position, is a
 * few hundred thousand operations and it converges in far fewer epochs than the paper's sampled
 * binary loss, so a sampled loss would cost more wall time, not less.
 */
import type { EvalCase } from '../data/split.ts';
import { evaluate } from '../eval/protocols.ts';
import type { RankingMetrics } from '../eval/metrics.ts';
import { deriveSeed, Rng } from '../eval/random.ts';
import type { SasrecConfig } from '../sasrec/config.ts';
import { Adam, DEFAULT_ADAM } from './adam.ts';
import { batchGradients, windowOf, type TrainExample, type WindowMode } from './batch.ts';
import { forwardSequence, scoreAll } from './model.ts';
import { cloneTensors, initialParams, modelViews, zeroTensors, type ParamTensors } from './params.ts';

/** Training settings besides the model shape. */
export interface TrainSettings {
  /** upper bound on epochs */
  epochs: number;
  /** stop after this many epochs without a better validation NDCG@10 */
  patience: number;
  batchSize: number;
  lr: number;
  seed: number;
  windows: WindowMode;
  /** dropout rate while training (0: none), where models/train/sasrec_model.py applies it */
  dropout: number;
}

/** One finished epoch. */
export interface EpochReport {
  epoch: number; // 1-based
  /** mean training loss of the epoch's batches */
  loss: number;
  /** validation NDCG@10 and HR@10 (full ranking) */
  ndcg10: number;
  hr10: number;
  bestEpoch: number;
  /** target positions trained on in this epoch (≈ interactions) */
  positions: number;
  ms: number;
}

/** Progress inside an epoch. */
export interface BatchReport {
  epoch: number;
  batch: number; // 1-based
  batches: number;
  loss: number;
}

/** What the loop reports and how it is stopped. */
export interface TrainHooks {
  onBatch?: (report: BatchReport) => void;
  onEpoch?: (report: EpochReport) => void;
  /** checked after every batch; the loop then throws the signal's reason */
  signal?: AbortSignal;
  /** wall clock in ms (performance.now) */
  now?: () => number;
}

/** The result: the best epoch's weights and the record of the run. */
export interface TrainResult {
  params: ParamTensors;
  bestEpoch: number;
  /** validation metrics of the best epoch */
  valid: RankingMetrics;
  history: EpochReport[];
}

/** Training data: one train sequence per user and the validation cases (src/data/split.ts). */
export interface TrainData {
  train: readonly Int32Array[]; // [users][len]
  valid: readonly EvalCase[];
}

/** Let queued messages (a Cancel from the page) run between batches. */
const yieldToEvents = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/** Validation metrics (full ranking) of the model `params` on `cases`. */
export async function validate(
  config: SasrecConfig,
  params: ParamTensors,
  cases: readonly EvalCase[],
): Promise<RankingMetrics> {
  const p = modelViews(config, params);
  const d = config.hiddenUnits;
  const scorer = (history: Int32Array): Float32Array => {
    const window = history.subarray(Math.max(0, history.length - config.maxLen)); // [≤ maxLen]
    const run = forwardSequence(config, p, window);
    return scoreAll(config, p, run.out.subarray((window.length - 1) * d)); // [N + 1]
  };
  return (await evaluate(cases, scorer, { itemCount: config.itemCount })).full.metrics;
}

/** The examples of one epoch in a seeded random order. */
function epochExamples(
  trainable: readonly Int32Array[],
  config: SasrecConfig,
  settings: TrainSettings,
  epoch: number,
) {
  const rng = new Rng(deriveSeed(settings.seed, epoch));
  const examples: TrainExample[] = trainable.map((s) => windowOf(s, config.maxLen, settings.windows, rng));
  for (let i = examples.length - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    [examples[i], examples[j]] = [examples[j], examples[i]];
  }
  return examples;
}

/** Train SASRec `config` on `data`; throws `hooks.signal`'s reason when cancelled. */
export async function trainSasrec(
  config: SasrecConfig,
  data: TrainData,
  settings: TrainSettings,
  hooks: TrainHooks = {},
): Promise<TrainResult> {
  if (config.positions !== 'from_start') {
    throw new RangeError('the in-page trainer trains positions "from_start" only (the runtime default)');
  }
  const now = hooks.now ?? (() => performance.now());
  const trainable = data.train.filter((s) => s.length >= 2);
  const params = initialParams(config, settings.seed);
  const grads = zeroTensors(config);
  const adam = new Adam(config, { ...DEFAULT_ADAM, lr: settings.lr });
  const history: EpochReport[] = [];
  let best: { epoch: number; params: ParamTensors; valid: RankingMetrics } | undefined;
  for (let epoch = 1; epoch <= settings.epochs; epoch++) {
    const started = now();
    const examples = epochExamples(trainable, config, settings, epoch);
    const batches = Math.ceil(examples.length / settings.batchSize);
    let lossSum = 0;
    let positions = 0;
    for (let b = 0; b < batches; b++) {
      for (const g of grads.values()) g.fill(0);
      const batch = examples.slice(b * settings.batchSize, (b + 1) * settings.batchSize);
      const dropout = { rate: settings.dropout, rng: new Rng(deriveSeed(settings.seed, epoch, b, 1)) };
      const step = batchGradients(config, params, grads, batch, dropout);
      adam.step(params, grads);
      lossSum += step.loss;
      positions += step.positions;
      hooks.onBatch?.({ epoch, batch: b + 1, batches, loss: step.loss });
      await yieldToEvents();
      if (hooks.signal?.aborted) throw hooks.signal.reason;
    }
    const valid = await validate(config, params, data.valid);
    if (!best || valid.ndcg[10] > best.valid.ndcg[10]) best = { epoch, params: cloneTensors(params), valid };
    const report: EpochReport = {
      epoch,
      loss: lossSum / Math.max(batches, 1),
      ndcg10: valid.ndcg[10],
      hr10: valid.hr[10],
      bestEpoch: best.epoch,
      positions,
      ms: now() - started,
    };
    history.push(report);
    hooks.onEpoch?.(report);
    if (epoch - best.epoch >= settings.patience) break;
  }
  if (!best) throw new RangeError('settings.epochs must be at least 1');
  return { params: best.params, bestEpoch: best.epoch, valid: best.valid, history };
}
