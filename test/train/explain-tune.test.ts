/**
 * explain_tune.py: the batch puts the loss only on target tokens (each predicted from the position
 * before it), and the concept-consistency score is the softmax share of the fact labels (checked
 * against the same model's summed label log-likelihoods computed one label at a time).
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findTorchPython } from '../../models/tools/python.ts';
import { requireOrSkip } from '../helpers/require.ts';
import { noStories, STORIES_DIR } from '../llm/stories-files.ts';

const TRAIN_DIR = resolve(import.meta.dirname, '../../models/train');
const noTorch =
  requireOrSkip(findTorchPython() !== null, 'PyTorch (Debian python3-torch) not installed') || noStories;

const SCRIPT = `
import json, sys, torch
from explain_tune import batch_of, concept_consistency
from llama_ref import load
from rec_llama import RecLlama
tokens, mask = batch_of([{"prompt": [1, 5, 6], "target": [7, 8]}, {"prompt": [1, 9], "target": [10]}])
cfg, w = load(sys.argv[1])
model = RecLlama(cfg, w, torch.zeros(2, 1))
probe = {"context": [1, 403, 407], "options": [[261, 378], [300], [261]], "fact": [True, False, True]}
got = concept_consistency(model, [probe])
with torch.no_grad():
    lls = []
    for option in probe["options"]:
        seq = torch.tensor([probe["context"] + option])
        logp = (model.hidden(seq)[0, :-1] @ model.base["emb"].T).log_softmax(-1)
        n = len(probe["context"])
        lls.append(sum(float(logp[n - 1 + j, t]) for j, t in enumerate(option)))
    p = torch.tensor(lls).softmax(-1)
print(json.dumps({"tokens": tokens.tolist(), "mask": mask.tolist(), "got": got, "want": float(p[0] + p[2])}))
`;

describe.skipIf(noTorch)('explain_tune.py', () => {
  it('masks the loss to target tokens and scores concept consistency as a softmax share', () => {
    const r = spawnSync(
      findTorchPython() ?? 'python3',
      ['-c', SCRIPT, resolve(STORIES_DIR, 'stories260K.bin')],
      {
        cwd: TRAIN_DIR,
        encoding: 'utf8',
      },
    );
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { tokens: number[][]; mask: number[][]; got: number; want: number };
    expect(out.tokens).toEqual([
      [1, 5, 6, 7, 8],
      [1, 9, 10, 0, 0],
    ]);
    // position t predicts token t + 1: targets 7, 8 (positions 2, 3) and 10 (position 1)
    expect(out.mask).toEqual([
      [0, 0, 1, 1],
      [0, 1, 0, 0],
    ]);
    expect(out.got).toBeCloseTo(out.want, 5);
    expect(out.got).toBeGreaterThan(0);
    expect(out.got).toBeLessThan(1);
  });
});
