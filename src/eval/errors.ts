/**
 * Named errors of the evaluation code.
 */

/** Metric or protocol inputs are unusable (empty arrays, mismatched lengths, bad k). */
export class EvalInputError extends Error {
  override readonly name = 'EvalInputError';
}

/** A scorer returned something other than finite scores for ids 0..N. */
export class ScorerOutputError extends Error {
  override readonly name = 'ScorerOutputError';
}
