/**
 * Choosing the worker's compute backend: WebGPU when asked or on 'auto' and it both initialises and
 * passes a small check against the CPU reference (plain-loop `CpuOps`); otherwise the CPU, on the
 * optimised `FastCpuOps`, with the reason recorded.
 */
import { CpuOps } from '../gpu/cpu-ops.ts';
import { FastCpuOps } from '../gpu/cpu-fast/fast-cpu-ops.ts';
import type { Tensor, TensorOps } from '../gpu/ops.ts';
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
 * 'auto' → WebGPU if it works, else FastCpuOps with `fallbackReason`.
 */
export async function chooseBackend(
  preference: BackendPreference,
  gpu: GPU | undefined,
  createGpuOps: GpuOpsFactory,
): Promise<BackendChoice> {
  if (preference === 'cpu')
    return { ops: new CpuOps(), backend: 'cpu', fallbackReason: 'CPU backend was requested' };
  try {
    if (!gpu) throw new BackendUnavailableError('this browser exposes no navigator.gpu');
    const ops = await createGpuOps(gpu);
    await checkAgainstCpu(ops);
    return { ops, backend: 'webgpu' };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (preference === 'webgpu') {
      throw new BackendUnavailableError(`WebGPU was requested but cannot be used: ${reason}`);
    }
    return { ops: new FastCpuOps(), backend: 'cpu', fallbackReason: reason };
  }
}
