/**
 * models/train/rec_interest_page.py (the page's interest model) on the bundled ml-latest-small and the
 * real stories260K, a few steps: it exports one item row per page item (the SASRec catalog), its
 * held-out test samples in page item ids, and our runtime (LoRA merged by src/llm/lora.ts, P(yes) by
 * src/rec/interest.ts) reproduces PyTorch's P(yes) on them.
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

describe.skipIf(noStories || noTorch)('rec_interest_page.py (PyTorch, CPU)', { timeout: 300_000 }, () => {
  const out = mkdtempSync(join(tmpdir(), 'localrec-interest-page-'));
  beforeAll(async () => {
    await run(
      findTorchPython() ?? 'python3',
      [
        join(ROOT, 'models/train/rec_interest_page.py'),
        ...[
          '--data',
          join(ROOT, 'public/data/ml-latest-small'),
          '--sasrec',
          join(ROOT, 'models/ml-latest-small-sasrec'),
        ],
        ...['--base', join(STORIES_DIR, 'stories260K.bin'), '--tokenizer', join(STORIES_DIR, 'tok512.bin')],
        ...['--out', out, '--steps', '4', '--eval-every', '2', '--limit-train', '128', '--valid', '100'],
        ...['--test', '200', '--r', '4'],
      ],
      { quiet: true },
    );
  }, 300_000);

  it('exports page item rows and test samples in page ids, which our runtime scores as PyTorch does', async () => {
    const exported = JSON.parse(readFileSync(join(out, 'interest.json'), 'utf8')) as {
      itemCount: number;
      samples: { history: [number, number][]; target: number }[];
      testAuc: number;
      testAucAllLiked: number;
    };
    const items = (
      JSON.parse(readFileSync(join(ROOT, 'models/ml-latest-small-sasrec/items.json'), 'utf8')) as string[]
    ).length;
    expect(exported.itemCount).toBe(items);
    expect(exported.samples.length).toBeGreaterThan(50); // of 200: those whose items all are catalog items
    for (const s of exported.samples) {
      for (const id of [s.target, ...s.history.map(([item]) => item)]) {
        expect(id).toBeGreaterThanOrEqual(1);
        expect(id).toBeLessThanOrEqual(items);
      }
    }
    for (const a of [exported.testAuc, exported.testAucAllLiked]) expect(a).toBeGreaterThan(0);
    const runtime = await runtimeInterest(out);
    expect(runtime.n).toBe(exported.samples.length);
    expect(runtime.maxDiff).toBeLessThan(1e-4);
    expect(runtime.auc).toBeCloseTo(runtime.torchAuc, 6);
  });
});
