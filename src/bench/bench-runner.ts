/**
 * The bench worker's work: load one model from the page's origin, then measure each backend in
 * turn (CpuOps, FastCpuOps, WGSL, onnxruntime-web wasm, onnxruntime-web WebGPU EP), one at a time so they never
 * compete for the two cores. A backend that cannot start is reported, not fatal.
 */
import * as ort from 'onnxruntime-web';
import { CpuOps } from '../gpu/cpu-ops.ts';
import { FastCpuOps } from '../gpu/cpu-fast/fast-cpu-ops.ts';
import { acquireDevice } from '../gpu/device.ts';
import { GpuOps } from '../gpu/gpu-ops.ts';
import { OnnxSasrecSession } from '../sasrec/onnx-backend.ts';
import type { RankResult } from '../sasrec/history.ts';
import { loadSasrecModel, type FetchFile } from '../sasrec/weights.ts';
import { compareTops } from './agreement.ts';
import type { BenchRequest } from './messages.ts';
import { onnxRanker, sessionRanker } from './rankers.ts';
import type {
  AdapterDescription,
  BackendId,
  BackendStatus,
  BenchReport,
  LatencyRow,
  Probe,
} from './report.ts';
import { benchBackend, type BenchRanker } from './run-bench.ts';

/** What the runner needs from the worker (injected, so nothing here reads globals). */
export interface BenchEnv {
  fetch: typeof fetch;
  /** navigator.gpu, if any */
  gpu: GPU | undefined;
  /** page origin; the model must be on it */
  origin: string;
  now: () => number;
  userAgent: string;
  cores: number;
  /** same-origin URL of onnxruntime-web's ort-wasm-simd-threaded.jsep.wasm (emitted by Vite) */
  ortWasmUrl: string;
}

/** The model could not be fetched from the page's origin. */
export class BenchModelFetchError extends Error {
  override readonly name = 'BenchModelFetchError';
}

const ORT_NOTE = 'no KV cache: its incremental row is a full forward of the n-item history';

/** A same-origin file reader for the model directory `modelUrl`. */
function modelFiles(env: BenchEnv, modelUrl: string): FetchFile {
  const base = new URL(modelUrl, `${env.origin}/`);
  return async (name) => {
    const url = new URL(name, base);
    if (url.origin !== env.origin) throw new BenchModelFetchError(`${url.href} is not on ${env.origin}`);
    const response = await env.fetch(url.href);
    if (!response.ok) {
      throw new BenchModelFetchError(
        `${url.href} answered HTTP ${response.status}; is the model registered and built?`,
      );
    }
    return response.arrayBuffer();
  };
}

/** navigator.gpu's adapter identity, or null without WebGPU. */
async function describeAdapter(gpu: GPU | undefined): Promise<AdapterDescription | null> {
  const adapter = await gpu?.requestAdapter();
  if (!adapter) return null;
  const { vendor, architecture, device, description } = adapter.info;
  return { vendor, architecture, device, description };
}

/** Measure every backend on the model at `request.modelUrl`. */
export async function runBench(
  request: BenchRequest,
  env: BenchEnv,
  progress: (line: string) => void,
): Promise<BenchReport> {
  const fetchFile = modelFiles(env, request.modelUrl);
  const { manifest, weights } = await loadSasrecModel(fetchFile);
  const config = manifest.config;
  progress(
    `model ${manifest.id}: ${config.itemCount} items, d ${config.hiddenUnits}, maxLen ${config.maxLen}`,
  );
  ort.env.wasm.wasmPaths = { wasm: new URL(env.ortWasmUrl, `${env.origin}/`).href };
  const onnx = (executionProviders: string[]) =>
    OnnxSasrecSession.load(fetchFile, { executionProviders, numThreads: 1 });
  const factories: [BackendId, () => Promise<BenchRanker>][] = [
    ['cpu', async () => sessionRanker('cpu', new CpuOps(), weights)],
    ['cpu-fast', async () => sessionRanker('cpu-fast', new FastCpuOps(), weights)],
    [
      'wgsl',
      async () => {
        const ops = new GpuOps(await acquireDevice(env.gpu));
        return sessionRanker('wgsl', ops, weights, () => ops.destroy());
      },
    ],
    ['ort-wasm', async () => onnxRanker('ort-wasm', await onnx(['wasm']))],
    ['ort-webgpu', async () => onnxRanker('ort-webgpu', await onnx(['webgpu']))],
  ];
  const plan = { ...request, itemCount: config.itemCount, maxLen: config.maxLen, now: env.now };
  const rows: LatencyRow[] = [];
  const backends: BackendStatus[] = [];
  const tops = new Map<BackendId, Map<number, RankResult>>();
  const probes: Probe[] = [];
  for (const [backend, create] of factories) {
    progress(`${backend}: starting`);
    let ranker: BenchRanker | undefined;
    try {
      ranker = await create();
      const result = await benchBackend(ranker, plan, progress);
      rows.push(...result.rows);
      tops.set(backend, result.tops);
      probes.push(...result.probes.map((p) => ({ backend, ...p })));
      backends.push({ backend, ok: true, ...(ranker.cached ? {} : { note: ORT_NOTE }) });
    } catch (error) {
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      progress(`${backend}: failed: ${message}`);
      backends.push({ backend, ok: false, error: message });
    } finally {
      await ranker?.dispose();
    }
  }
  return {
    model: {
      id: manifest.id,
      dataset: manifest.provenance.dataset,
      randomWeights: manifest.provenance.dataset === 'random',
      itemCount: config.itemCount,
      hiddenUnits: config.hiddenUnits,
      blocks: config.blocks,
      heads: config.heads,
      maxLen: config.maxLen,
    },
    adapter: await describeAdapter(env.gpu),
    userAgent: env.userAgent,
    cores: env.cores,
    warmup: request.warmup,
    runs: request.runs,
    k: request.k,
    rows,
    backends,
    agreement: compareTops(tops),
    probes,
  };
}
