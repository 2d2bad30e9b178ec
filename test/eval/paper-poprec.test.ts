/**
 * Cross-check of the whole pipeline (loader, leave-one-out split, 100-negative protocol) against a
 * published figure: the SASRec paper (Kang & McAuley 2018, Table III) reports PopRec on ML-1M with
 * 100 sampled negatives as HR@10 = 0.4329, NDCG@10 = 0.2377. A popularity scorer (interaction
 * counts in the training part) must land close to that.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { itemPopularity } from '../../src/data/catalog.ts';
import { sharedDataDir } from '../../src/data/node/locate.ts';
import { loadNamedDataset } from '../../src/data/node/named.ts';
import { leaveOneOut } from '../../src/data/split.ts';
import { evaluate } from '../../src/eval/protocols.ts';
import { requireOrSkip } from '../helpers/require.ts';

const sequences = join(sharedDataDir(), 'ml-1m-full', 'sequences.txt');

describe.skipIf(
  requireOrSkip(existsSync(sequences), `ML-1M not found at ${sequences} (set LOCALREC_SHARED_DATA)`),
)('PopRec on ML-1M vs the SASRec paper', () => {
  it('matches HR@10 0.4329 / NDCG@10 0.2377 within 0.015', async () => {
    const dataset = await loadNamedDataset('ml-1m');
    const split = leaveOneOut(dataset);
    const popularity = Float32Array.from(itemPopularity(split.train, dataset.items.length)); // [N + 1]
    const result = await evaluate(split.test, () => popularity, {
      itemCount: dataset.items.length,
      seed: 42,
    });
    expect(result.sampled.metrics.users).toBe(6040);
    expect(Math.abs(result.sampled.metrics.hr[10] - 0.4329)).toBeLessThan(0.015);
    expect(Math.abs(result.sampled.metrics.ndcg[10] - 0.2377)).toBeLessThan(0.015);
    // full ranking is far harder than 100 negatives
    expect(result.full.metrics.hr[10]).toBeLessThan(result.sampled.metrics.hr[10] / 4);
  });
});
