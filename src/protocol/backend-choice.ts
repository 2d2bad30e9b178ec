/**
 * Choosing the worker's compute backend. 'webgpu': WebGPU when it initialises and passes a small
 * check against the CPU reference (plain-loop `CpuOps`). 'auto': the same check, then a short
 * calibration on the loaded model (src/sasrec/calibrate.ts) between WebGPU and the CPU picks the
 * faster one for this device. Otherwise the CPU, on the optimised `FastCpuOps`, with the reason recorded.
 */
import { CpuOps } from '../gpu/cpu-ops.ts';
import { FastCpuOps } from '../gpu/cpu-fast/fast-cpu-ops.ts';
import type { Tensor, TensorOps } from '../gpu/ops.ts';
import { calibrate } from '../sasrec/calibrate.ts';
import type { SasrecWeights } from '../sasrec/weights.ts';
import { BackendUnavailableError } from './errors.ts';
import type { Backend, BackendPreference } from './messages.ts';

/** Builds WebGPU TensorOps from a `GPU` object (navigator.gpu); throws if that fails. */
export type GpuOpsFactory = (gpu: GPU) => Promise<TensorOps<Tensor>>;

/** The chosen backend. */
export interface BackendChoice {
  ops: TensorOps<Tensor>;
  backend: Backend;
  /** why WebGPU was not used (absent when it is) */
  fallbackReason?: string;
  /** the calibration's one-line summary, when 'auto' measured both backends */
  calibration?: string;
}

/** A deterministic small problem: x [3, 5] · wᵀ (w [7, 5]) + b, relu, then layer norm. */
async function smallProblem(ops: TensorOps<Tensor>): Promise<Float32Array> {
  const fill = (n: number, seed: number) =>
    Float32Array.from({ length: n }, (_, i) => Math.sin(seed * 7.1 + i * 1.3));
  const x = ops.upload(fill(15, 1), [3, 5]);
  const w = ops.upload(fill(35, 2), [7, 5]);
  const b = ops.upload(fill(7, 3), [7]);
  const gamma = ops.upload(fill(7, 4), [7]);
  const beta = ops.upload(fill(7, 5), [7]);
  const y = ops.linear(x, w, b, { relu: true }); // [3, 7]
  const z = ops.layerNorm(y, gamma, beta, 1e-5); // [3, 7]
  const out = await ops.read(z);
  for (const t of [x, w, b, gamma, beta, y, z]) ops.release(t);
  return out;
}

/** Throw BackendUnavailableError unless `ops` computes `smallProblem` like CpuOps (1e-4 abs). */
export async function checkAgainstCpu(ops: TensorOps<Tensor>): Promise<void> {
  const [got, want] = await Promise.all([smallProblem(ops), smallProblem(new CpuOps())]);
  const worst = want.reduce((m, v, i) => Math.max(m, Math.abs(v - got[i])), 0);
  if (!(worst <= 1e-4) || got.length !== want.length) {
    throw new BackendUnavailableError(
      `${ops.backend} results differ from the CPU reference (max error ${worst})`,
    );
  }
}

/**
 * Pick the backend. 'cpu' → FastCpuOps. 'webgpu' → WebGPU or a BackendUnavailableError.
 * 'auto' → WebGPU if it works and (given `weights`) calibrates faster than FastCpuOps on this
 * device; else FastCpuOps with `fallbackReason`.
 */
export async function chooseBackend(
  preference: BackendPreference,
  gpu: GPU | undefined,
  createGpuOps: GpuOpsFactory,
  weights?: SasrecWeights,
): Promise<BackendChoice> {
  if (preference === 'cpu')
    return { ops: new FastCpuOps(), backend: 'cpu', fallbackReason: 'CPU backend was requested' };
  let ops: TensorOps<Tensor>;
  try {
    if (!gpu) throw new BackendUnavailableError('this browser exposes no navigator.gpu');
    ops = await createGpuOps(gpu);
    await checkAgainstCpu(ops);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (preference === 'webgpu') {
      throw new BackendUnavailableError(`WebGPU was requested but cannot be used: ${reason}`);
    }
    return { ops: new FastCpuOps(), backend: 'cpu', fallbackReason: reason };
  }
  if (preference === 'webgpu' || !weights) return { ops, backend: 'webgpu' };
  const cpu = new FastCpuOps();
  const { chosen, summary } = await calibrate(
    [
      { name: 'cpu', ops: cpu },
      { name: 'webgpu', ops },
    ],
    weights,
  );
  if (chosen.ops === ops) return { ops, backend: 'webgpu', calibration: summary };
  destroyIfPossible(ops);
  return {
    ops: cpu,
    backend: 'cpu',
    fallbackReason: `the CPU was faster here (${summary})`,
    calibration: summary,
  };
}

/** Free a backend that has a `destroy()` (GpuOps: its buffers and device). */
function destroyIfPossible(ops: TensorOps<Tensor>): void {
  const destroy = (ops as { destroy?: () => void }).destroy;
  if (typeof destroy === 'function') destroy.call(ops);
}
