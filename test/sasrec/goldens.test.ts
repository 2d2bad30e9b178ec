import { basename, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CpuOps } from '../../src/gpu/cpu-ops';
import { SasrecForward } from '../../src/sasrec/forward';
import { SasrecSession } from '../../src/sasrec/session';
import { loadSasrecModel } from '../../src/sasrec/weights';
import { expectClose } from './expect-close';
import { diskFetchFile, goldenModelDirs, readGoldens } from './model-dir';

const repoRoot = resolve(import.meta.dirname, '../..');

describe.each(goldenModelDirs(repoRoot))('PyTorch goldens on CpuOps: %s', (dir) => {
  const goldens = readGoldens(dir);

  it(`matches top-${goldens.k} ids and scores (1e-4 relative) for every golden history`, async () => {
    const { weights } = await loadSasrecModel(diskFetchFile(dir));
    const session = new SasrecSession(new CpuOps(), weights);
    for (const c of goldens.cases) {
      const result = await session.rank(Int32Array.from(c.history), goldens.k, {
        excludeHistory: goldens.excludeHistory,
      });
      const label = `${basename(dir)} history [${c.history.join(',')}]`;
      expect([...result.ids], label).toEqual(c.ids);
      expectClose(result.scores, c.scores, 1e-4, label);
    }
  });

  it('reaches the same goldens incrementally, one appended item at a time', async () => {
    const { weights } = await loadSasrecModel(diskFetchFile(dir));
    const incrementalRuns = goldens.cases.filter((c) => c.history.length <= weights.config.maxLen);
    for (const c of incrementalRuns) {
      const session = new SasrecSession(new CpuOps(), weights);
      const options = { excludeHistory: goldens.excludeHistory };
      let result = await session.rank(Int32Array.from(c.history.slice(0, 1)), goldens.k, options);
      for (let n = 2; n <= c.history.length; n++) {
        result = await session.rank(Int32Array.from(c.history.slice(0, n)), goldens.k, options);
        expect(result.incremental).toBe(weights.config.positions === 'from_start');
      }
      const label = `${basename(dir)} appended up to [${c.history.join(',')}]`;
      expect([...result.ids], label).toEqual(c.ids);
      expectClose(result.scores, c.scores, 1e-4, label);
    }
  });

  it('matches the last hidden state of every golden history', async () => {
    const { weights } = await loadSasrecModel(diskFetchFile(dir));
    const ops = new CpuOps();
    const forward = new SasrecForward(ops, weights);
    const { maxLen, positions } = weights.config;
    for (const c of goldens.cases) {
      const window = Int32Array.from(c.history.slice(-maxLen));
      const h = forward.prefill(window, positions === 'from_start' ? 0 : maxLen - window.length);
      expectClose(await ops.read(h), c.lastHidden, 1e-4, `lastHidden of [${c.history.join(',')}]`);
    }
  });
});
