/**
 * Single-op probes: each runs one TensorOps op of a SASRec request's shape and reads its result
 * back (which forces the submit and waits for it). Against the round trip alone they show what one
 * dispatch costs and which ops dominate a request.
 */
import type { Tensor, TensorOps } from '../gpu/ops.ts';

/** One probe: `run` is timed; its inputs are made once, up front. */
export interface OpProbe {
  name: string;
  run(): Promise<void>;
}

/** The probes and how to free their inputs. */
export interface OpProbeSet {
  probes: OpProbe[];
  dispose(): void;
}

/** The round-trip probe's name: other probes are compared against it. */
export const ROUND_TRIP = 'round trip: write 1 float, read it back';

/** Deterministic inputs in [-1, 1]. */
function filled(n: number, seed: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => Math.sin(seed * 12.9898 + i * 78.233)); // [n]
}

/** Probes for a model of width d, `items` + 1 score rows and windows of `rows` (1 and maxLen). */
export function opProbes<T extends Tensor>(
  ops: TensorOps<T>,
  dims: { d: number; items: number; rows: readonly number[] },
): OpProbeSet {
  const { d } = dims;
  const owned: T[] = [];
  const upload = (shape: number[], seed: number) => {
    const t = ops.upload(
      filled(
        shape.reduce((a, b) => a * b, 1),
        seed,
      ),
      shape,
    );
    owned.push(t);
    return t;
  };
  /** A probe that runs `op` and reads its output back. */
  const probe = (name: string, op: () => T): OpProbe => ({
    name,
    async run() {
      const out = op();
      await ops.read(out);
      ops.release(out);
    },
  });
  const w = upload([d, d], 1); // [d, d]
  const bias = upload([d], 2); // [d]
  const gamma = upload([d], 3); // [d]
  const table = upload([dims.items + 1, d], 4); // [items + 1, d]
  const one = upload([1, 1], 5); // [1, 1]
  const probes: OpProbe[] = [probe(ROUND_TRIP, () => ops.sliceRows(one, 0, 1))];
  for (const m of dims.rows) {
    const x = upload([m, d], 6 + m); // [m, d]
    probes.push(
      probe(`linear [${m}, ${d}] · [${d}, ${d}]ᵀ + bias`, () => ops.linear(x, w, bias)),
      probe(`layerNorm [${m}, ${d}]`, () => ops.layerNorm(x, gamma, bias, 1e-8)),
      probe(`attention ${m} queries × ${m} keys, d ${d}`, () =>
        ops.attention(x, x, x, {
          queries: m,
          keys: m,
          heads: 1,
          kvHeads: 1,
          headDim: d,
          queryStart: 0,
          scale: 1 / Math.sqrt(d),
        }),
      ),
    );
  }
  const h = upload([1, d], 99); // [1, d]
  const scores = upload([1, dims.items + 1], 100); // [1, items + 1]
  const exclude = Int32Array.of(0); // [1]
  probes.push(
    probe(`score: linear [1, ${d}] · [${dims.items + 1}, ${d}]ᵀ`, () => ops.linear(h, table, null)),
    {
      name: `topK 10 of ${dims.items + 1}`,
      run: async () => void (await ops.topK(scores, 10, exclude)),
    },
  );
  return { probes, dispose: () => owned.forEach((t) => ops.release(t)) };
}
