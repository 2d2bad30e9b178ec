/**
 * The PyTorch SASRec goldens (committed fixtures + registry models that have them) through
 * FastCpuOps: full recompute and the incremental path, same ids and scores within 1e-4 relative.
 */
import { basename, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FastCpuOps } from '../../src/gpu/cpu-fast/fast-cpu-ops.ts';
import { SasrecSession } from '../../src/sasrec/session.ts';
import { loadSasrecModel } from '../../src/sasrec/weights.ts';
import { expectClose } from '../sasrec/expect-close.ts';
import { diskFetchFile, goldenModelDirs, readGoldens } from '../sasrec/model-dir.ts';

const repoRoot = resolve(import.meta.dirname, '../..');

const variants = goldenModelDirs(repoRoot).flatMap((dir) =>
  [true, false].map((simd) => [dir, simd] as const),
);

describe.each(variants)('PyTorch goldens on FastCpuOps: %s (simd %s)', (dir, simd) => {
  const goldens = readGoldens(dir);
  const options = { excludeHistory: goldens.excludeHistory };

  it(`matches top-${goldens.k} ids and scores for every golden history (one session, reused)`, async () => {
    const { weights } = await loadSasrecModel(diskFetchFile(dir));
    const session = new SasrecSession(new FastCpuOps({ simd }), weights);
    for (const c of goldens.cases) {
      const result = await session.rank(Int32Array.from(c.history), goldens.k, options);
      const label = `${basename(dir)} history [${c.history.join(',')}]`;
      expect([...result.ids], label).toEqual(c.ids);
      expectClose(result.scores, c.scores, 1e-4, label);
    }
  });

  it('reaches the same goldens incrementally, one appended item at a time', async () => {
    const { weights } = await loadSasrecModel(diskFetchFile(dir));
    const ops = new FastCpuOps({ simd }); // one backend for every session: pooled storage crosses sessions
    for (const c of goldens.cases.filter((g) => g.history.length <= weights.config.maxLen)) {
      const session = new SasrecSession(ops, weights);
      let result = await session.rank(Int32Array.from(c.history.slice(0, 1)), goldens.k, options);
      for (let n = 2; n <= c.history.length; n++) {
        result = await session.rank(Int32Array.from(c.history.slice(0, n)), goldens.k, options);
      }
      const label = `${basename(dir)} appended up to [${c.history.join(',')}]`;
      expect([...result.ids], label).toEqual(c.ids);
      expectClose(result.scores, c.scores, 1e-4, label);
      session.dispose();
    }
  });
});
