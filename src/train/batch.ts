/**
 * Training examples and one batch's loss + gradients. An example is a window of a user's training
 * sequence: inputs s[e-L-1 .. e-2], targets s[e-L .. e-1] (L ≤ maxLen), the next item at every
 * position, as models/train/sasrec_data.py builds them (`windows: 'random'` picks the end e at
 * random among those that keep ≥ 2 items, `'last'` uses the end of the sequence).
 */
import type { Rng } from '../eval/random.ts';
import type { SasrecConfig } from '../sasrec/config.ts';
import type { Dropout } from './dropout.ts';
import { backwardSequence, forwardSequence, softmaxCrossEntropy } from './model.ts';
import { modelViews, type ParamTensors } from './params.ts';

/** One training example: inputs and their next items (same length, ≥ 1). */
export interface TrainExample {
  inputs: Int32Array; // [L]
  targets: Int32Array; // [L]
}

/** Where a training window ends: the end of the sequence, or a random end per epoch. */
export type WindowMode = 'last' | 'random';

/** The example of one training sequence (length ≥ 2) for this epoch. */
export function windowOf(sequence: Int32Array, maxLen: number, mode: WindowMode, rng: Rng): TrainExample {
  const n = sequence.length;
  const end = mode === 'last' ? n : 2 + rng.nextInt(n - 1); // in 2..n
  const chunk = sequence.subarray(Math.max(0, end - maxLen - 1), end); // [≤ maxLen + 1]
  return { inputs: chunk.subarray(0, chunk.length - 1), targets: chunk.subarray(1) };
}

/**
 * Mean cross-entropy over every target position of the batch; `grads` (zeroed by the caller) gets
 * the gradient of that mean. Returns the mean loss and the number of positions. With `dropout`,
 * masks are drawn from its generator (same seed → same masks → same loss).
 */
export function batchGradients(
  config: SasrecConfig,
  params: ParamTensors,
  grads: ParamTensors,
  batch: readonly TrainExample[],
  dropout?: Dropout,
): { loss: number; positions: number } {
  const p = modelViews(config, params);
  const g = modelViews(config, grads);
  const positions = batch.reduce((sum, e) => sum + e.targets.length, 0);
  let loss = 0;
  for (const example of batch) {
    const run = forwardSequence(config, p, example.inputs, dropout);
    const ce = softmaxCrossEntropy(config, p, g, run.out, example.targets, 1 / positions);
    loss += ce.loss;
    backwardSequence(config, p, g, run, ce.dh);
  }
  return { loss, positions };
}
