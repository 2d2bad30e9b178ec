/**
 * The SASRec forward pass (src/sasrec, written against TensorOps) on GpuOps: PyTorch goldens, and
 * GPU incremental ranking == GPU full recompute == CPU, over a growing history.
 */
import { basename, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { adapterName, expectClose, gpuOps, noGpu, seededRandom } from './support.ts';
import { CpuOps } from '../../src/gpu/cpu-ops.ts';
import { SasrecSession } from '../../src/sasrec/session.ts';
import { loadSasrecModel } from '../../src/sasrec/weights.ts';
import { diskFetchFile, goldenModelDirs, readGoldens } from '../sasrec/model-dir.ts';

const repoRoot = resolve(import.meta.dirname, '../..');
const f32 = (values: ArrayLike<number>) => Float32Array.from(values);

describe.skipIf(noGpu).each(goldenModelDirs(repoRoot))(`SASRec on WebGPU (${adapterName}): %s`, (dir) => {
  const goldens = readGoldens(dir);

  it(`matches the PyTorch top-${goldens.k} ids and scores`, async () => {
    const { weights } = await loadSasrecModel(diskFetchFile(dir));
    const session = new SasrecSession(gpuOps, weights);
    try {
      for (const c of goldens.cases) {
        const result = await session.rank(Int32Array.from(c.history), goldens.k, {
          excludeHistory: goldens.excludeHistory,
        });
        const label = `${basename(dir)} history [${c.history.join(',')}]`;
        expect([...result.ids], label).toEqual(c.ids);
        expectClose(label, result.scores, f32(c.scores), 1e-4, 1e-4);
      }
    } finally {
      session.dispose();
    }
  });

  it('incremental GPU ranking agrees with a fresh GPU recompute and with the CPU', async () => {
    const { weights } = await loadSasrecModel(diskFetchFile(dir));
    const { itemCount, maxLen } = weights.config;
    const random = seededRandom(itemCount + maxLen);
    const growing = new SasrecSession(gpuOps, weights);
    const cpu = new SasrecSession(new CpuOps(), weights);
    const history: number[] = [];
    try {
      for (let step = 0; step < Math.min(maxLen + 3, 12); step++) {
        history.push(1 + Math.floor(random() * itemCount));
        const ids = Int32Array.from(history);
        const fresh = new SasrecSession(gpuOps, weights);
        const [inc, full, ref] = [
          await growing.rank(ids, 10),
          await fresh.rank(ids, 10),
          await cpu.rank(ids, 10),
        ];
        fresh.dispose();
        const label = `step ${step}, history [${history.join(',')}]`;
        expect([...inc.ids], label).toEqual([...full.ids]);
        expect([...inc.ids], label).toEqual([...ref.ids]);
        expectClose(`${label} incremental vs full`, inc.scores, full.scores, 1e-5, 1e-5);
        expectClose(`${label} GPU vs CPU`, inc.scores, ref.scores, 1e-4, 1e-4);
      }
    } finally {
      growing.dispose();
      cpu.dispose();
    }
  });
});
