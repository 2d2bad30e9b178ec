/**
 * SASRec backends side by side in one Node run: CpuOps (plain reference loops), FastCpuOps and,
 * when Node has a WebGPU adapter (npm `webgpu`: lavapipe / llvmpipe), GpuOps, on a SASRec of the
 * ML-1M shape (random weights unless --model <dir> is given), for a full request (prefill of a
 * 199-item history + scoring + top-50) and an incremental one (one appended item + scoring +
 * top-50), plus top-50 alone over the scores. Prints medians; not a test (no assertions), timings
 * depend on machine load.
 *
 *   npx tsx --import ./models/tools/node-hooks/register.mjs models/tools/bench-backends.ts [--model models/<id>] [--runs 30]
 */
import { parseArgs } from 'node:util';
import { CpuOps } from '../../src/gpu/cpu-ops.ts';
import { FastCpuOps } from '../../src/gpu/cpu-fast/fast-cpu-ops.ts';
import type { Tensor, TensorOps } from '../../src/gpu/ops.ts';
import { SasrecForward } from '../../src/sasrec/forward.ts';
import { loadSasrecModel, type SasrecWeights } from '../../src/sasrec/weights.ts';
import { diskFetchFile } from './disk-fetch.ts';
import { randomSasrecWeights, tinyConfig } from '../../test/sasrec/random-model.ts';
import { nodeGpuContext } from '../../test/helpers/webgpu-node.ts';
import { GpuOps } from '../../src/gpu/gpu-ops.ts';

const K = 50;
const HISTORY = 199;

/** Median of `values`. */
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Median milliseconds per request kind. */
interface Timings {
  full: number;
  incremental: number;
  topK: number;
}

/** Times `full` and `incremental` requests on `ops`; returns medians in ms. */
async function measure<T extends Tensor>(
  ops: TensorOps<T>,
  weights: SasrecWeights,
  history: Int32Array, // [HISTORY]
  runs: number,
): Promise<Timings> {
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
  const topK: number[] = [];
  for (let run = 0; run < runs + 3; run++) {
    let started = performance.now();
    await finish(forward.prefill(history, 0));
    const fullMs = performance.now() - started;
    const cached = forward.prefill(history.subarray(0, HISTORY - 1), 0); // [1, d]
    await ops.read(cached); // GPU work is lazy: run the prefill before timing the append
    ops.release(cached);
    started = performance.now();
    await finish(forward.append(history[HISTORY - 1]));
    const incrementalMs = performance.now() - started;
    const h = forward.append(history[0]); // [1, d] one more row, to time top-k alone
    const scores = forward.score(h); // [1, itemCount + 1]
    await ops.read(h); // everything before top-k has run
    started = performance.now();
    await ops.topK(scores, K, exclude);
    const topKMs = performance.now() - started;
    ops.release(scores);
    ops.release(h);
    if (run >= 3) {
      full.push(fullMs);
      incremental.push(incrementalMs);
      topK.push(topKMs);
    }
  }
  forward.dispose();
  return { full: median(full), incremental: median(incremental), topK: median(topK) };
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
  const backends: [string, TensorOps<Tensor>][] = [
    ['CpuOps', new CpuOps()],
    ['FastCpuOps', new FastCpuOps()],
  ];
  const gpu = await nodeGpuContext();
  if (gpu.ok) backends.push([`GpuOps (${gpu.backend})`, new GpuOps(gpu.context)]);
  else console.log(`no WebGPU in this Node: ${gpu.reason}\n`);
  const results: Record<string, Timings> = {};
  for (const [name, ops] of backends) {
    results[name] = await measure(ops, weights, history, runs);
    const r = results[name];
    console.log(
      `${name}: full ${r.full.toFixed(3)} ms, incremental ${r.incremental.toFixed(3)} ms, top-${K} alone ${r.topK.toFixed(3)} ms`,
    );
  }
  const [plain, fast] = [results.CpuOps, results.FastCpuOps];
  console.log(
    `\nspeed-up: full ×${(plain.full / fast.full).toFixed(2)}, incremental ×${(plain.incremental / fast.incremental).toFixed(2)}`,
  );
}

await main();
process.exit(0); // a live WebGPU device would keep Node running
