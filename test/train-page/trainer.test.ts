/**
 * The in-page trainer learns: on a ring log (test/train-page/synthetic.ts) the loss falls over a
 * few steps, the trained model's validation NDCG@10 is far above popularity's, and its exported
 * bundle loads in the runtime (src/sasrec) and ranks exactly as the trainer scores.
 */
import { describe, expect, it } from 'vitest';
import { readGenericInteractionsCsv } from '../../src/data/formats/generic-csv.ts';
import { CpuOps } from '../../src/gpu/cpu-ops.ts';
import { Rng } from '../../src/eval/random.ts';
import { SasrecSession } from '../../src/sasrec/session.ts';
import { loadSasrecModel } from '../../src/sasrec/weights.ts';
import { Adam, DEFAULT_ADAM } from '../../src/train/adam.ts';
import { batchGradients, windowOf } from '../../src/train/batch.ts';
import { exportSasrecBundle } from '../../src/train/export.ts';
import { forwardSequence, scoreAll } from '../../src/train/model.ts';
import { initialParams, modelViews, zeroTensors } from '../../src/train/params.ts';
import { planTraining, popularityNdcg10 } from '../../src/train/plan.ts';
import { trainSasrec } from '../../src/train/trainer.ts';
import { ringCsv } from './synthetic.ts';

const plan = planTraining('ring.csv', readGenericInteractionsCsv(ringCsv()));

describe('in-page SASRec trainer', { timeout: 120_000 }, () => {
  it('plans a small model from the data: 300 users, 120 items, one block, window 8..50', () => {
    expect(plan.dataset.sequences.length).toBe(300);
    expect(plan.config).toMatchObject({ itemCount: 120, hiddenUnits: 32, blocks: 1, heads: 1 });
    expect(plan.config.maxLen).toBeGreaterThanOrEqual(8);
    expect(plan.config.maxLen).toBeLessThanOrEqual(50);
    expect(plan.split.valid.length).toBe(300);
  });

  it('plans a larger log with two blocks, batch 64, and drops items seen fewer than 5 times', () => {
    const interactions = readGenericInteractionsCsv(ringCsv({ users: 2000, items: 4000, minLength: 8 }));
    const counts = new Map<string, number>();
    for (const { item } of interactions) counts.set(item, (counts.get(item) ?? 0) + 1);
    const kept = [...counts.values()].filter((n) => n >= 5).length;
    expect(kept).toBeLessThan(counts.size); // the filter has something to drop
    const large = planTraining('large.csv', interactions);
    expect(large.config).toMatchObject({ itemCount: kept, blocks: 2 });
    expect(large.settings.batchSize).toBe(64);
  });

  it('loss goes down over 10 Adam steps on one fixed batch', () => {
    const { config } = plan;
    const rng = new Rng(3);
    const batch = plan.split.train.slice(0, 32).map((s) => windowOf(s, config.maxLen, 'last', rng));
    const params = initialParams(config, 11);
    const grads = zeroTensors(config);
    const adam = new Adam(config, { ...DEFAULT_ADAM, lr: 3e-3 });
    const losses: number[] = [];
    for (let step = 0; step < 10; step++) {
      for (const g of grads.values()) g.fill(0);
      losses.push(batchGradients(config, params, grads, batch).loss);
      adam.step(params, grads);
    }
    // the untrained model is near uniform over 120 items: ln 120 ≈ 4.79
    expect(losses[0]).toBeGreaterThan(4.5);
    expect(losses[0]).toBeLessThan(5.1);
    for (let i = 1; i < losses.length; i++) expect(losses[i]).toBeLessThan(losses[i - 1]);
  });

  it('trains to a validation NDCG@10 far above popularity, and the export ranks identically in the runtime', async () => {
    const popularity = await popularityNdcg10(plan);
    const epochs: number[] = [];
    const result = await trainSasrec(
      plan.config,
      plan.split,
      { ...plan.settings, epochs: 12 },
      { onEpoch: (e) => epochs.push(e.ndcg10) },
    );
    expect(epochs.length).toBe(12);
    expect(popularity).toBeLessThan(0.1);
    expect(result.valid.ndcg[10]).toBeGreaterThan(0.5);
    expect(result.valid.ndcg[10]).toBe(Math.max(...epochs));

    const keys = plan.dataset.items.map((item) => item.key);
    const run = { seed: plan.settings.seed, epochs: 12 };
    const files = await exportSasrecBundle('ring-test', plan.config, result.params, keys, {
      dataset: 'ring.csv',
      run,
      metrics: { bestEpoch: result.bestEpoch },
    });
    expect([...files.keys()].sort()).toEqual(['items.json', 'manifest.json', 'weights.safetensors']);
    const { weights, manifest } = await loadSasrecModel(async (name) => files.get(name) as ArrayBuffer);
    expect(manifest.config).toEqual(plan.config);
    const session = new SasrecSession(new CpuOps(), weights);
    const p = modelViews(plan.config, result.params);
    const d = plan.config.hiddenUnits;
    for (const c of plan.split.valid.slice(0, 20)) {
      const history = c.history.subarray(Math.max(0, c.history.length - plan.config.maxLen));
      const ours = scoreAll(
        plan.config,
        p,
        forwardSequence(plan.config, p, history).out.subarray((history.length - 1) * d),
      );
      const ranked = await session.rank(history, 5, { excludeHistory: false });
      const byScore = Array.from(ours.keys())
        .slice(1)
        .sort((a, b) => ours[b] - ours[a])
        .slice(0, 5);
      expect([...ranked.ids]).toEqual(byScore);
      ranked.ids.forEach((id, i) => expect(ranked.scores[i]).toBeCloseTo(ours[id], 3));
    }
  });
});
