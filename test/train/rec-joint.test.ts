/**
 * models/train/rec_joint.py (issue 5: the explanation task inside rec_seq.py's training): its batches walk
 * seeded passes over the targets (each target once per pass), a missing data file is refused by name, and a
 * rec_seq.py run with --explain-data logs the explanation figures at every check and lowers the explanation
 * loss of its targets (the same LoRA learns both tasks).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { findTorchPython } from '../../models/tools/python.ts';
import { requireOrSkip } from '../helpers/require.ts';
import { noStories } from '../llm/stories-files.ts';
import { ROOT, runRecTrainer } from './rec-run.ts';

const noTorch = requireOrSkip(findTorchPython() !== null, 'PyTorch (Debian python3-torch) not installed');

// tok512 ids: prompts and targets as eval:explain-targets writes them ({prompt, target}), probes {context, options, fact}
const TRAIN = [
  { prompt: [1, 403, 407, 300], target: [261, 378, 13] },
  { prompt: [1, 345, 413], target: [300, 261] },
  { prompt: [1, 404, 444, 413], target: [378, 13] },
];
const PROBES = [{ context: [1, 403, 407], options: [[261, 378], [300], [261]], fact: [true, false, true] }];

/** Writes train.jsonl (also as valid.jsonl) and probes.jsonl into a new directory → its path. */
function writeTargets(): string {
  const dir = mkdtempSync(join(tmpdir(), 'localrec-joint-data-'));
  const lines = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
  writeFileSync(join(dir, 'train.jsonl'), lines(TRAIN));
  writeFileSync(join(dir, 'valid.jsonl'), lines(TRAIN));
  writeFileSync(join(dir, 'probes.jsonl'), lines(PROBES));
  return dir;
}

/** Runs `code` with models/train as the working directory and `arg` as sys.argv[1] → its standard output. */
function python(code: string, arg: string): string {
  const r = spawnSync(findTorchPython() ?? 'python3', ['-c', code, arg], {
    cwd: join(ROOT, 'models/train'),
    encoding: 'utf8',
  });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

// 4 batches of 2 over 3 targets: passes of 3 (the second batch ends one pass and starts the next)
const BATCHES = `
import json, os, sys, tempfile
from rec_joint import ExplainDataError, ExplainTask
task = ExplainTask(sys.argv[1], 2, 30, 5)
batches = [[r["prompt"][1] for r in task.next_rows()] for _ in range(4)]  # the targets' second prompt ids
saved = task.state()  # mid-pass (rec_seq_checkpoint.py): a restored task draws what this one draws next
resumed = ExplainTask(sys.argv[1], 2, 30, 99)
resumed.restore(json.loads(json.dumps(saved, default=int)))
after = [[[r["prompt"][1] for r in t.next_rows()] for _ in range(3)] for t in (task, resumed)]
try:
    ExplainTask(tempfile.mkdtemp(), 2, 30, 5)
    refused = ""
except ExplainDataError as e:
    refused = str(e)
print(json.dumps({"batches": batches, "probes": len(task.probes), "refused": refused, "after": after}))
`;

describe.skipIf(noTorch)('rec_joint.py ExplainTask', () => {
  it('draws each target once per seeded pass, resumes its order from state(), and refuses a directory without train.jsonl', () => {
    const dir = writeTargets();
    const out = JSON.parse(python(BATCHES, dir)) as {
      batches: number[][];
      probes: number;
      refused: string;
      after: [number[][], number[][]];
    };
    const flat = out.batches.flat();
    expect(flat.length).toBe(8);
    const ids = TRAIN.map((row) => row.prompt[1]).sort(); // 345, 403, 404: one per target
    expect([...flat.slice(0, 3)].sort()).toEqual(ids);
    expect([...flat.slice(3, 6)].sort()).toEqual(ids);
    expect(out.probes).toBe(1);
    expect(out.refused).toMatch(/train\.jsonl does not exist: run npm run eval:explain-targets/);
    // a task restored from state() (other seed) continues the same order, passes included
    expect(out.after[1]).toEqual(out.after[0]);
  });
});

describe.skipIf(noStories || noTorch)(
  'rec_seq.py --explain-data (PyTorch, CPU)',
  { timeout: 300_000 },
  () => {
    const out = mkdtempSync(join(tmpdir(), 'localrec-joint-'));
    beforeAll(async () => {
      await runRecTrainer('rec_seq.py', out, [
        ...['--steps', '3', '--eval-every', '1', '--limit-valid', '10', '--batch', '4', '--r', '4'],
        ...[
          '--select',
          'last',
          '--explain-data',
          writeTargets(),
          '--explain-weight',
          '5',
          '--explain-batch',
          '3',
        ],
      ]);
    }, 300_000);

    it('logs the explanation figures at every check and lowers the loss of the targets it trains on', () => {
      const rec = JSON.parse(readFileSync(join(out, 'rec.json'), 'utf8')) as {
        explain: { trainTargets: number; probes: number; untuned: Figures; kept: Figures };
      };
      type Figures = { explainValidLoss: number; consistency: number };
      expect(rec.explain).toMatchObject({ trainTargets: 3, probes: 1 });
      const log = JSON.parse(readFileSync(join(out, 'train-log.json'), 'utf8')) as (Figures & {
        step: number;
      })[];
      expect(log.map((row) => row.step)).toEqual([1, 2, 3]);
      for (const row of [...log, rec.explain.untuned, rec.explain.kept]) {
        expect(row.consistency).toBeGreaterThan(0);
        expect(row.consistency).toBeLessThanOrEqual(1); // a probability share (rounded to 4 places)
      }
      // valid.jsonl = train.jsonl here: 3 Adam steps with the explanation loss weighted 5 must lower it
      expect(rec.explain.kept.explainValidLoss).toBeLessThan(rec.explain.untuned.explainValidLoss);
    });
  },
);
