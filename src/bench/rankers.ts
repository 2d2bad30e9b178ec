/**
 * The backends under test behind one `BenchRanker` shape: our SasrecSession on any TensorOps
 * (CpuOps, GpuOps), and the ONNX export on onnxruntime-web (no KV cache).
 */
import type { Tensor, TensorOps } from '../gpu/ops.ts';
import type { OnnxSasrecSession } from '../sasrec/onnx-backend.ts';
import { SasrecSession } from '../sasrec/session.ts';
import type { SasrecWeights } from '../sasrec/weights.ts';
import type { BackendId } from './report.ts';
import type { BenchRanker } from './run-bench.ts';

/** Our engine: weights uploaded to `ops` once, KV-cached ranking; `release` frees the backend (e.g. the device). */
export function sessionRanker<T extends Tensor>(
  backend: BackendId,
  ops: TensorOps<T>,
  weights: SasrecWeights,
  release: () => void = () => {},
): BenchRanker {
  const session = new SasrecSession(ops, weights);
  return {
    backend,
    cached: true,
    rank: (history, k) => session.rank(history, k),
    dispose() {
      session.dispose();
      release();
    },
  };
}

/** onnxruntime-web: every request runs the whole window. */
export function onnxRanker(backend: BackendId, session: OnnxSasrecSession): BenchRanker {
  return {
    backend,
    cached: false,
    rank: (history, k) => session.rank(history, k),
    dispose: () => session.dispose(),
  };
}
