/// <reference lib="webworker" />
/**
 * The training Web Worker: trains SASRec on an interactions CSV in plain TypeScript on the CPU
 * (src/train/train-handler.ts), so the page stays responsive; progress per batch and epoch, Cancel
 * through the typed rpc.
 */
import { serve } from '../src/protocol/rpc.ts';
import type { TrainMap } from '../src/protocol/messages-train.ts';
import { createTrainHandlers } from '../src/train/train-handler.ts';

serve<TrainMap>(self, createTrainHandlers());
