/**
 * CPU backends side by side in one Node run: CpuOps (plain reference loops) vs FastCpuOps on a
 * SASRec of the ML-1M shape (random weights unless --model <dir> is given), for a full request
 * (prefill of a 199-item history + scoring + top-50) and an incremental one (one appended item +
 * scoring + top-50). Prints medians; not a test (no assertions), timings depend on machine load.
 *
 *   npx tsx --import ./models/tools/node-hooks/register.mjs models/tools/bench-cpu-backends.ts [--model models/<id>] [--runs 30]
 */
import { parseArgs } from 'node:util';
import { CpuOps } from '../../src/gpu/cpu-ops.ts';
import { FastCpuOps } from '../../src/gpu/cpu-fast/fast-cpu-ops.ts';
import type { Tensor, TensorOps } from '../../src/gpu/ops.ts';
import { SasrecForward } from '../../src/sasrec/forward.ts';
import { loadSasrecModel, type SasrecWeights } from '../../src/sasrec/weights.ts';
import { diskFetchFile } from './disk-fetch.ts';
import { randomSasrecWeights, tinyConfig } from '../../test/sasrec/random-model.ts';

const K = 50;
const HISTORY = 199;

/** Median of `values`. */
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Times `full` and `incremental` requests on `ops`; returns medians in ms. */
async function measure<T extends Tensor>(
  ops: TensorOps<T>,
  weights: SasrecWeights,
  history: Int32Array, // [HISTORY]
  runs: number,
): Promise<{ full: number; incremental: number }> {
  const forward = new SasrecForward(ops, weights);
  const exclude = history; // [HISTORY] history items are not recommended
  const finish = async (h: T): Promise<void> => {
    const scores = forward.score(h); // [1, itemCount + 1]
    await ops.topK(scores, K, exclude);
    ops.release(scores);
    ops.release(h);
  };
  const full: number[] = [];
  const incremental: number[] = [];
  for (let run = 0; run < runs + 3; run++) {
    let started = performance.now();
    await finish(forward.prefill(history, 0));
    const fullMs = performance.now() - started;
    ops.release(forward.prefill(history.subarray(0, HISTORY - 1), 0));
    started = performance.now();
    await finish(forward.append(history[HISTORY - 1]));
    const incrementalMs = performance.now() - started;
    if (run >= 3) {
      full.push(fullMs);
      incremental.push(incrementalMs);
    }
  }
  forward.dispose();
  return { full: median(full), incremental: median(incremental) };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { model: { type: 'string' }, runs: { type: 'string' } } });
  const runs = Number(values.runs ?? 30);
  const weights = values.model
    ? (await loadSasrecModel(diskFetchFile(values.model))).weights
    : randomSasrecWeights(tinyConfig({ itemCount: 3416, hiddenUnits: 50, maxLen: 200 }), 1);
  const { itemCount } = weights.config;
  const history = Int32Array.from({ length: HISTORY }, (_, i) => 1 + ((i * 7919) % itemCount)); // [HISTORY]
  console.log(`SASRec d=${weights.config.hiddenUnits}, ${weights.config.blocks} blocks, ${itemCount} items`);
  console.log(`history ${HISTORY}, top-${K}, median of ${runs} runs (after 3 warm-up runs)\n`);
  const results: Record<string, { full: number; incremental: number }> = {};
  for (const [name, ops] of [
    ['CpuOps', new CpuOps()],
    ['FastCpuOps', new FastCpuOps()],
  ] as const) {
    results[name] = await measure(ops, weights, history, runs);
    const r = results[name];
    console.log(
      `${name.padEnd(11)} full ${r.full.toFixed(3)} ms   incremental ${r.incremental.toFixed(3)} ms`,
    );
  }
  const [plain, fast] = [results.CpuOps, results.FastCpuOps];
  console.log(
    `\nspeed-up: full ×${(plain.full / fast.full).toFixed(2)}, incremental ×${(plain.incremental / fast.incremental).toFixed(2)}`,
  );
}

await main();
