/**
 * Interest-tuning smoke test: models/train/rec_interest.py runs a few steps on its seeded synthetic log
 * (every user likes the even items; the items' genre flags carry only their parity) with the real
 * stories260K in both prompt layouts, learns it, and our runtime (LoRA merged by src/llm/lora.ts, P(yes) by src/rec/interest.ts) reproduces
 * PyTorch's test-set P(yes) and AUC. Needs no ../shared data besides stories260K and no ignored files.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { findTorchPython, run } from '../../models/tools/python.ts';
import { runtimeInterest } from '../../models/tools/rec-interest-runtime.ts';
import { requireOrSkip } from '../helpers/require.ts';
import { STORIES_DIR, noStories } from '../llm/stories-files.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const noTorch = requireOrSkip(findTorchPython() !== null, 'PyTorch (Debian python3-torch) not installed');

interface Results {
  testSize: number;
  untunedBase: number;
  runs: { size: number; seed: number; auc: number }[];
  summary: Record<string, { mean: number; sd: number; n: number }>;
}

/** The first recipe (grouped prompt, genre features, fixed steps) and the chosen one (marked prompt,
 * genre + like-rate features, early stopping on validation). */
const RECIPES = [
  { name: 'grouped, genres', args: ['--layout', 'grouped', '--features', 'genres'] },
  {
    name: 'marked, genres+stats, early stopping',
    args: ['--layout', 'marked', '--features', 'genres+stats', '--valid-cap', '40', '--eval-every', '10'],
  },
];

describe.skipIf(noStories || noTorch).each(RECIPES)(
  'rec_interest.py $name (PyTorch, CPU)',
  { timeout: 300_000 },
  ({ args }) => {
    const out = mkdtempSync(join(tmpdir(), 'localrec-interest-'));
    let results: Results;
    beforeAll(async () => {
      await run(
        findTorchPython() ?? 'python3',
        [
          join(ROOT, 'models/train/rec_interest.py'),
          ...['--synthetic', '--out', join(out, 'results.json'), '--export', join(out, 'export')],
          ...['--base', join(STORIES_DIR, 'stories260K.bin'), '--tokenizer', join(STORIES_DIR, 'tok512.bin')],
          ...['--sizes', '64', '--seeds', '2', '--steps', '30', '--r', '4', ...args],
        ],
        { quiet: true },
      );
      results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as Results;
    }, 300_000);

    it('learns the synthetic rule: every seed ranks liked above disliked test items', () => {
      expect(results.runs.map((r) => [r.size, r.seed])).toEqual([
        [64, 0],
        [64, 1],
      ]);
      for (const r of results.runs) expect(r.auc).toBeGreaterThan(0.9);
      expect(results.summary['64'].n).toBe(2);
    });

    it('our runtime reproduces PyTorch P(yes) within 1e-4 and the same AUC', async () => {
      const ours = await runtimeInterest(join(out, 'export'));
      expect(ours.n).toBe(results.testSize);
      expect(ours.maxDiff).toBeLessThan(1e-4);
      expect(ours.auc).toBeCloseTo(ours.torchAuc, 6);
    });
  },
);
