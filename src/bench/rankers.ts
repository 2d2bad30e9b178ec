/**
 * The backends under test behind one `BenchRanker` shape: our SasrecSession on any TensorOps
 * (CpuOps, GpuOps), and the ONNX export on onnxruntime-web (no KV cache).
 */
import type { Tensor, TensorOps } from '../gpu/ops.ts';
import type { OnnxSasrecSession } from '../sasrec/onnx-backend.ts';
import { SasrecSession } from '../sasrec/session.ts';
import type { SasrecWeights } from '../sasrec/weights.ts';
import type { BackendId } from './report.ts';
import { countingOps } from './op-counter.ts';
import { opProbes } from './op-probes.ts';
import type { BenchRanker } from './run-bench.ts';

/** Our engine: weights uploaded to `ops` once, KV-cached ranking, ops counted; `release` frees the backend (e.g. the device). */
export function sessionRanker<T extends Tensor>(
  backend: BackendId,
  ops: TensorOps<T>,
  weights: SasrecWeights,
  release: () => void = () => {},
): BenchRanker {
  const counted = countingOps(ops);
  const session = new SasrecSession(counted.ops, weights);
  return {
    backend,
    cached: true,
    counter: counted.counter,
    rank: (history, k) => session.rank(history, k),
    probes: () =>
      opProbes(ops, {
        d: weights.config.hiddenUnits,
        items: weights.config.itemCount,
        rows: [1, weights.config.maxLen],
      }),
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
