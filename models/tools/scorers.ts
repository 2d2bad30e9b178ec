/**
 * Full-score functions over a model directory for the CLIs (eval, bench): history → scores [N + 1]
 * through the engine the page uses (CpuOps or GpuOps under SasrecForward) or onnxruntime-web.
 */
import { CpuOps } from '../../src/gpu/cpu-ops.ts';
import { FastCpuOps } from '../../src/gpu/cpu-fast/fast-cpu-ops.ts';
import { GpuOps } from '../../src/gpu/gpu-ops.ts';
import { OnnxSasrecSession } from '../../src/sasrec/onnx-backend.ts';
import { nodeGpuContext } from '../../test/helpers/webgpu-node.ts';
import type { Tensor, TensorOps } from '../../src/gpu/ops.ts';
import { lastWindow } from '../../src/sasrec/history.ts';
import { SasrecForward } from '../../src/sasrec/forward.ts';
import { loadSasrecModel } from '../../src/sasrec/weights.ts';
import { diskFetchFile } from './disk-fetch.ts';

/** Engines a CLI can evaluate. */
export type BackendName = 'cpu' | 'cpu-reference' | 'webgpu' | 'onnx';

/** A loaded model as a scoring function. */
export interface Scorer {
  id: string;
  /** what ran, e.g. "cpu" or "webgpu (vulkan: llvmpipe …)" */
  backendLabel: string;
  /** history (oldest first) → scores [N + 1] by dense id */
  score(history: Int32Array): Promise<Float32Array>;
  dispose(): void;
}

/** Score through SasrecForward on any TensorOps (full window each call, as in the paper). */
async function forwardScorer<T extends Tensor>(
  modelDir: string,
  ops: TensorOps<T>,
  label: string,
): Promise<Scorer> {
  const { weights, manifest } = await loadSasrecModel(diskFetchFile(modelDir));
  const forward = new SasrecForward(ops, weights);
  const { maxLen, positions } = weights.config;
  return {
    id: manifest.id,
    backendLabel: label,
    async score(history) {
      const window = lastWindow(history, maxLen); // [L ≤ maxLen]
      const h = forward.prefill(window, positions === 'from_start' ? 0 : maxLen - window.length); // [1, d]
      const scores = forward.score(h); // [1, N + 1]
      const out = await ops.read(scores);
      ops.release(scores);
      ops.release(h);
      return out;
    },
    dispose: () => forward.dispose(),
  };
}

/** Load `modelDir` for `backend`. */
export async function createScorer(modelDir: string, backend: BackendName): Promise<Scorer> {
  switch (backend) {
    case 'cpu':
      return forwardScorer(modelDir, new FastCpuOps(), 'cpu (FastCpuOps)');
    case 'cpu-reference':
      return forwardScorer(modelDir, new CpuOps(), 'cpu reference (CpuOps)');
    case 'webgpu': {
      const probe = await nodeGpuContext();
      if (!probe.ok) throw new Error(`no WebGPU adapter in Node: ${probe.reason}`);
      return forwardScorer(modelDir, new GpuOps(probe.context), `webgpu (${probe.backend})`);
    }
    case 'onnx': {
      const session = await OnnxSasrecSession.load(diskFetchFile(modelDir));
      return {
        id: session.manifest.id,
        backendLabel: 'onnxruntime-web wasm',
        score: (history) => session.scores(history),
        dispose: () => void session.dispose(),
      };
    }
    default:
      throw new Error(`unknown backend "${backend}": use cpu, cpu-reference, webgpu or onnx`);
  }
}
