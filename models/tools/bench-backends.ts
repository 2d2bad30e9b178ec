/**
 * SASRec backends side by side in one Node run: CpuOps (plain reference loops), FastCpuOps (with
 * and without WebAssembly SIMD) and,
 * when Node has a WebGPU adapter (npm `webgpu`: lavapipe / llvmpipe), GpuOps, on a SASRec of the
 * ML-1M shape (random weights unless --model <dir> is given), for a full request (prefill of a
 * 199-item history + scoring + top-50) and an incremental one (one appended item + scoring +
 * top-50), plus top-50 alone over the scores, backends taking turns every round, and what
 * `calibrate` (src/sasrec/calibrate.ts) would choose between FastCpuOps and GpuOps. Prints medians; not a test (no assertions), timings
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
import { calibrate } from '../../src/sasrec/calibrate.ts';

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

/** One backend's forward pass and the milliseconds measured so far. */
interface Contender {
  name: string;
  round: () => Promise<[full: number, incremental: number, topK: number]>;
  samples: [number, number, number][];
}

/** A contender timing one full request, one incremental request and top-k alone per round. */
function contender<T extends Tensor>(
  name: string,
  ops: TensorOps<T>,
  weights: SasrecWeights,
  history: Int32Array, // [HISTORY]
): Contender {
  const forward = new SasrecForward(ops, weights);
  const exclude = history; // [HISTORY] history items are not recommended
  const finish = async (h: T): Promise<void> => {
    const scores = forward.score(h); // [1, itemCount + 1]
    await ops.topK(scores, K, exclude);
    ops.release(scores);
    ops.release(h);
  };
  const round = async (): Promise<[number, number, number]> => {
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
    return [fullMs, incrementalMs, topKMs];
  };
  return { name, round, samples: [] };
}

/** Runs 3 warm-up rounds and `runs` measured rounds, alternating contenders so machine load hits all alike. */
async function race(contenders: Contender[], runs: number): Promise<Map<string, Timings>> {
  for (let run = 0; run < runs + 3; run++) {
    for (const c of contenders) {
      const sample = await c.round();
      if (run >= 3) c.samples.push(sample);
    }
  }
  const column = (c: Contender, i: number) => median(c.samples.map((s) => s[i]));
  return new Map(
    contenders.map((c) => [c.name, { full: column(c, 0), incremental: column(c, 1), topK: column(c, 2) }]),
  );
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
    ['FastCpuOps (JS loops only)', new FastCpuOps({ simd: false })],
    ['FastCpuOps', new FastCpuOps()],
  ];
  const gpu = await nodeGpuContext();
  if (gpu.ok) backends.push([`GpuOps (${gpu.backend})`, new GpuOps(gpu.context)]);
  else console.log(`no WebGPU in this Node: ${gpu.reason}\n`);
  const results = await race(
    backends.map(([name, ops]) => contender(name, ops, weights, history)),
    runs,
  );
  for (const [name, r] of results) {
    console.log(
      `${name}: full ${r.full.toFixed(3)} ms, incremental ${r.incremental.toFixed(3)} ms, top-${K} alone ${r.topK.toFixed(3)} ms`,
    );
  }
  const [plain, fast] = [results.get('CpuOps') as Timings, results.get('FastCpuOps') as Timings];
  console.log(
    `\nspeed-up: full ×${(plain.full / fast.full).toFixed(2)}, incremental ×${(plain.incremental / fast.incremental).toFixed(2)}`,
  );
  // What the page's calibration would choose here (reference first: the CPU).
  const candidates = [{ name: 'cpu', ops: new FastCpuOps() as TensorOps<Tensor> }];
  if (gpu.ok) candidates.push({ name: 'webgpu', ops: new GpuOps(gpu.context) });
  const calibration = await calibrate(candidates, weights);
  console.log(`calibration (history ${Math.min(weights.config.maxLen - 1, 50)}): ${calibration.summary}`);
}

await main();
process.exit(0); // a live WebGPU device would keep Node running
