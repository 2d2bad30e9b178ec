/**
 * models/train/rec_discriminate.py (item discrimination: the item token names its genres): a seeded
 * 10 % of the items is held out of training and only scored, training items come in shuffled passes
 * that a checkpoint can resume, and a few rec_seq.py steps with the task log its held-out accuracy.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { findTorchPython } from '../../models/tools/python.ts';
import { requireOrSkip } from '../helpers/require.ts';
import { noStories } from '../llm/stories-files.ts';
import { ROOT, runRecTrainer } from './rec-run.ts';

const noTorch = requireOrSkip(findTorchPython() !== null, 'PyTorch (Debian python3-torch) not installed');

// 40 items with genre texts (item 7 has none), frames [9] / [8], base vocabulary 100
const TASK = `
import json
from rec_discriminate import DiscriminationTask
texts = [None] + [None if i == 7 else [20 + i % 3, 30] for i in range(1, 41)]
task = DiscriminationTask(texts, {"item:": [9], "genres:": [8]}, 100, 5, 100, 3)
first = [task.take(len(task.train), 5) for _ in range(4)]
saved = task.state()
again = DiscriminationTask(texts, {"item:": [9], "genres:": [8]}, 100, 5, 100, 3)
again.restore(json.loads(json.dumps(saved, default=int)))
print(json.dumps({"held": task.held, "train": task.train, "passes": first, "row": task.row(12, texts[12]),
                  "next": [task.take(len(task.train), 5), again.take(len(again.train), 5)]}))
`;

describe.skipIf(noTorch)('rec_discriminate.py DiscriminationTask', () => {
  it('holds out a seeded 10 % of the items with genres, passes over the rest, and resumes its order', () => {
    const r = spawnSync(findTorchPython() ?? 'python3', ['-c', TASK], {
      cwd: join(ROOT, 'models/train'),
      encoding: 'utf8',
    });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as {
      held: number[];
      train: number[];
      passes: number[][];
      row: { prompt: number[]; target: number[] };
      next: [number[], number[]];
    };
    expect(out.held).toHaveLength(3); // 10 % of the 39 items with genres
    expect([...out.held, ...out.train].sort((a, b) => a - b)).toEqual(
      Array.from({ length: 40 }, (_, i) => i + 1).filter((i) => i !== 7),
    );
    // each training item once per pass (36 items: the first 7 batches of 5 lie in one pass)
    const firstPass = out.passes.flat();
    expect(new Set(firstPass).size).toBe(firstPass.length);
    expect(out.row).toEqual({ prompt: [1, 9, 111, 8], target: [20, 30] }); // item 12 → token 100 + 11
    expect(out.next[1]).toEqual(out.next[0]);
  });
});

describe.skipIf(noStories || noTorch)(
  'rec_seq.py --discriminate-weight (PyTorch, CPU)',
  { timeout: 300_000 },
  () => {
    const out = mkdtempSync(join(tmpdir(), 'localrec-discriminate-'));
    beforeAll(async () => {
      await runRecTrainer('rec_seq.py', out, [
        ...['--steps', '2', '--eval-every', '1', '--limit-valid', '10', '--batch', '4', '--r', '4'],
        ...['--genres', join(ROOT, 'public/data/ml-latest-small/movies.csv'), '--select', 'last'],
        ...['--discriminate-weight', '1', '--discriminate-probes', '12'],
      ]);
    }, 300_000);

    it('logs the held-out discrimination accuracy at every check and summarises it in rec.json', () => {
      const log = JSON.parse(readFileSync(join(out, 'train-log.json'), 'utf8')) as Record<string, number>[];
      expect(log.map((r) => r.step)).toEqual([1, 2]);
      for (const r of log) {
        expect(r.discriminationAccuracy).toBeGreaterThanOrEqual(0);
        expect(r.discriminationAccuracy).toBeLessThanOrEqual(1);
      }
      const rec = JSON.parse(readFileSync(join(out, 'rec.json'), 'utf8')) as {
        discriminate: { heldOutProbes: number; chance: number; trainItems: number };
      };
      expect(rec.discriminate).toMatchObject({ heldOutProbes: 12, chance: 0.2 });
      expect(rec.discriminate.trainItems).toBeGreaterThan(3000);
    });
  },
);
