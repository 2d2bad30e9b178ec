/**
 * rec_tune.py --align (RecExplainer alignment): align_examples shuffles each example's candidates and
 * SASRec scores with one seeded order, and its target is where SASRec's own top item (candidate 0) went.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findTorchPython } from '../../models/tools/python.ts';
import { requireOrSkip } from '../helpers/require.ts';

const TRAIN_DIR = resolve(import.meta.dirname, '../../models/train');
const noTorch = requireOrSkip(findTorchPython() !== null, 'PyTorch (Debian python3-torch) not installed');

const SCRIPT = `
import json, numpy as np, torch
from rec_tune import align_examples
examples = [([1, 2], [10, 11, 12, 13, 14], 3, torch.tensor([5.0, 4.0, 3.0, 2.0, 1.0])),
            ([3], [20, 21, 22, 23, 24], -1, torch.tensor([9.0, 8.0, 7.0, 6.0, 5.0]))]
out = align_examples(examples, np.random.default_rng(0))
print(json.dumps([[h, c, t, s.tolist()] for h, c, t, s in out]))
`;

describe.skipIf(noTorch)('rec_tune.py align_examples', () => {
  it('labels SASRec top item at its shuffled position, scores follow their items', () => {
    const r = spawnSync(findTorchPython() ?? 'python3', ['-c', SCRIPT], { cwd: TRAIN_DIR, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as [number[], number[], number, number[]][];
    const tops = [10, 20];
    const firstScores = [5, 9];
    out.forEach(([history, cands, target, scores], i) => {
      expect(history.length).toBeGreaterThan(0);
      expect([...cands].sort((a, b) => a - b)).toEqual(Array.from({ length: 5 }, (_, k) => tops[i] + k));
      expect(cands[target]).toBe(tops[i]);
      expect(scores[target]).toBe(firstScores[i]);
      // every score still sits with its own item (score = first score − (item − top))
      cands.forEach((c, k) => expect(scores[k]).toBe(firstScores[i] - (c - tops[i])));
    });
    expect(out.some(([, cands]) => cands[0] !== cands.slice().sort((a, b) => a - b)[0])).toBe(true);
  });
});
