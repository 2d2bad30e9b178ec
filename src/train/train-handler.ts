/**
 * The training worker's handler (`train.run`, TrainMap in src/protocol/messages-train.ts): interactions
 * CSV → dataset + leave-one-out split + default plan → SASRec training with progress per batch and
 * epoch (Cancel aborts between batches) → the page's SASRec bundle and the catalog to show with it.
 */
import { readGenericInteractionsCsv } from '../data/formats/generic-csv.ts';
import { decodeText } from '../data/text.ts';
import type { TrainMap, TrainProgress } from '../protocol/messages-train.ts';
import type { Handlers } from '../protocol/rpc.ts';
import { exportSasrecBundle } from './export.ts';
import { planTraining, popularityNdcg10 } from './plan.ts';
import { readItemTitles } from './titles.ts';
import { trainSasrec } from './trainer.ts';

/** A model id from the CSV's file name ("My log.csv" → "trained-my-log"). */
export function trainedModelId(fileName: string): string {
  const stem = fileName
    .replace(/\.[^.]*$/, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-');
  return `trained-${stem.replace(/^-+|-+$/g, '') || 'csv'}`;
}

/** Handlers of the training worker; `now` is the wall clock in ms. */
export function createTrainHandlers(now: () => number = () => performance.now()): Handlers<TrainMap> {
  return {
    'train.run': async ({ csv, name, epochs }, context) => {
      const started = now();
      const text = decodeText(new Uint8Array(csv));
      const plan = planTraining(name, readGenericInteractionsCsv(text, name));
      if (epochs !== undefined) plan.settings.epochs = epochs;
      const total = plan.settings.epochs;
      const popularity = await popularityNdcg10(plan);
      const report = (stage: string, message: string, train: TrainProgress) =>
        context.progress({ stage, message, done: train.epoch, total, train });
      const { config } = plan;
      report('plan', `SASRec d ${config.hiddenUnits}, ${config.blocks} block(s), window ${config.maxLen}`, {
        epoch: 0,
        epochs: total,
        popularityNdcg10: popularity,
      });
      const result = await trainSasrec(config, plan.split, plan.settings, {
        signal: context.signal,
        now,
        onBatch: (b) =>
          report('batch', `epoch ${b.epoch}, batch ${b.batch}/${b.batches}`, {
            epoch: b.epoch - 1,
            epochs: total,
            batch: b.batch,
            batches: b.batches,
            loss: b.loss,
          }),
        onEpoch: (e) =>
          report('epoch', `epoch ${e.epoch}: loss ${e.loss.toFixed(3)}, NDCG@10 ${e.ndcg10.toFixed(4)}`, {
            epoch: e.epoch,
            epochs: total,
            loss: e.loss,
            validNdcg10: e.ndcg10,
            bestEpoch: e.bestEpoch,
            popularityNdcg10: popularity,
          }),
      });
      const keys = plan.dataset.items.map((item) => item.key); // [N]
      const metrics = {
        bestEpoch: result.bestEpoch,
        valid: { full: result.valid },
        popularityNdcg10: popularity,
      };
      const files = await exportSasrecBundle(trainedModelId(name), config, result.params, keys, {
        dataset: name,
        run: { ...plan.settings, epochsRun: result.history.length },
        metrics,
      });
      const titles = readItemTitles(text, name);
      const positions = result.history.reduce((sum, e) => sum + e.positions, 0);
      const trainMs = result.history.reduce((sum, e) => sum + e.ms, 0);
      return {
        files: Object.fromEntries(files),
        items: keys.map((key) => ({ key, ...(titles.get(key) ?? { title: key }) })),
        popularity: Array.from(plan.dataset.popularity),
        users: plan.dataset.sequences.length,
        interactions: plan.dataset.sequences.reduce((sum, s) => sum + s.length, 0),
        bestEpoch: result.bestEpoch,
        epochs: result.history.length,
        validNdcg10: result.valid.ndcg[10],
        popularityNdcg10: popularity,
        positionsPerSecond: (positions / Math.max(trainMs, 1)) * 1000,
        ms: now() - started,
      };
    },
  };
}
