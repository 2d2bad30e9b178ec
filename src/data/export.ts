/**
 * Writing a Dataset back out for the training hand-off (docs/ARCHITECTURE.md): a normalised SASRec
 * `user item` file (user = 1-based position in `dataset.sequences`, item = dense id, time order)
 * and `items.json` (original key of dense id 1, 2, …). Browser-safe (returns strings).
 */
import type { Dataset } from './types.ts';

/** SASRec `user item` lines for sequences [users][len]; users are numbered 1..U in array order. */
export function toSasrecPairsText(sequences: readonly ArrayLike<number>[]): string {
  const lines: string[] = [];
  sequences.forEach((seq, u) => {
    for (let j = 0; j < seq.length; j++) lines.push(`${u + 1} ${seq[j]}`);
  });
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

/** `items.json` content: the original key of dense id i + 1 at index i; [N]. */
export function itemKeysJson(dataset: Pick<Dataset, 'items'>): string {
  return JSON.stringify(dataset.items.map((item) => item.key));
}
