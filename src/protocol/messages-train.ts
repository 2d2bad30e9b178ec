/**
 * The training worker's messages (workers/train.worker.ts, src/train/train-handler.ts): `train.run`
 * and its progress figures, and their map `TrainMap`. Envelopes: messages.ts.
 */

/** Params of `train.run`: an interactions CSV (src/data/formats/generic-csv.ts) to train SASRec on. */
export interface TrainRunParams {
  /** the CSV's bytes (transferred) */
  csv: ArrayBuffer;
  /** file name, used in error messages and as the model's data set name */
  name: string;
  /** upper bound on epochs (default: the plan's, 200 with early stopping) */
  epochs?: number;
}

/** Result of `train.run`: a SASRec bundle for the model store plus the catalog to show with it. */
export interface TrainRunResult {
  /** manifest.json, weights.safetensors, items.json */
  files: Record<string, ArrayBuffer>;
  /** per dense id 1..N (index i ↔ id i+1): key, title (the key when the CSV has no title), year */
  items: { key: string; title: string; year?: number }[]; // [N]
  /** training interactions per dense id; [N + 1] */
  popularity: number[];
  users: number;
  interactions: number;
  bestEpoch: number;
  epochs: number;
  validNdcg10: number;
  popularityNdcg10: number;
  /** target positions trained per second over the whole run */
  positionsPerSecond: number;
  ms: number;
}

/** Figures of a `train.run` progress report ('plan', 'batch' or 'epoch' stage). */
export interface TrainProgress {
  epoch: number;
  epochs: number;
  batch?: number;
  batches?: number;
  loss?: number;
  validNdcg10?: number;
  bestEpoch?: number;
  popularityNdcg10?: number;
}

/** The training worker's map (workers/train.worker.ts). */
export type TrainMap = {
  'train.run': { params: TrainRunParams; result: TrainRunResult };
};
