/**
 * Leave-one-out split (SASRec / PALR protocol). For a user sequence s (time order):
 *  - train  = s[:-2]
 *  - valid  = input s[:-2] → target s[-2]
 *  - test   = input s[:-1] → target s[-1]   (the validation item is part of the test input)
 * Users with fewer than 3 interactions cannot give both a validation and a test case: all their
 * items go to train and they appear in neither valid nor test (as in the SASRec reference code).
 */
import type { Dataset } from './types.ts';

/** One evaluation case: predict `target` from `history`. */
export interface EvalCase {
  /** index of the user in `dataset.sequences` */
  user: number;
  /** input sequence, dense ids in time order; [len] (a view into the user's sequence) */
  history: Int32Array;
  /** dense id to predict */
  target: number;
  /** every item of the user (whole sequence), for sampling negatives the user never saw; [len_u] */
  interacted: Int32Array;
}

/** Result of `leaveOneOut`. */
export interface LeaveOneOutSplit {
  /** training sequence per user (same order as dataset.sequences); [users][len] */
  train: Int32Array[];
  valid: EvalCase[];
  test: EvalCase[];
  /** users with < 3 interactions (train only, not evaluated) */
  shortUsers: number;
}

/** Minimum sequence length for a user to get validation and test cases. */
export const MIN_EVAL_LENGTH = 3;

/** Split every user's sequence leave-one-out. Views share memory with `dataset.sequences`. */
export function leaveOneOut(dataset: Pick<Dataset, 'sequences'>): LeaveOneOutSplit {
  const train: Int32Array[] = [];
  const valid: EvalCase[] = [];
  const test: EvalCase[] = [];
  let shortUsers = 0;
  dataset.sequences.forEach((seq, user) => {
    const s = seq instanceof Int32Array ? seq : Int32Array.from(seq);
    const n = s.length;
    if (n < MIN_EVAL_LENGTH) {
      train.push(s);
      shortUsers++;
      return;
    }
    train.push(s.subarray(0, n - 2));
    valid.push({ user, history: s.subarray(0, n - 2), target: s[n - 2], interacted: s });
    test.push({ user, history: s.subarray(0, n - 1), target: s[n - 1], interacted: s });
  });
  return { train, valid, test, shortUsers };
}
