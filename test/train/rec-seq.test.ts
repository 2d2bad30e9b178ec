/**
 * models/train/rec_seq.py (the LLM as a second next-item model): its training windows put the next
 * item's id at every history position and nothing elsewhere; a few steps on the committed SASRec and the
 * real stories260K write a "history"-prompt manifest that src/rec/item-tokens.ts reads, whose golden prompt
 * recPrompt rebuilds, and whose merged model reproduces the PyTorch logits.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { findTorchPython } from '../../models/tools/python.ts';
import { parseRecManifest, recPrompt } from '../../src/rec/item-tokens.ts';
import { requireOrSkip } from '../helpers/require.ts';
import { noStories } from '../llm/stories-files.ts';
import { ROOT, mergedGoldenError, readGoldens, runRecTrainer } from './rec-run.ts';

const noTorch = requireOrSkip(findTorchPython() !== null, 'PyTorch (Debian python3-torch) not installed');
const HISTORY_FRAME = [345, 413, 304, 422, 467]; // "history:" in tok512 (docs/PROMPTS.md)

// a 120-item sequence 1..120 (next item = item + 1), frame [9, 9], base vocabulary 100
const WINDOWS = `
import json, numpy as np
from rec_seq import window_batch
tokens, targets = window_batch([list(range(1, 121)), [7, 8]], np.random.default_rng(3), 16, [9, 9], 100)
print(json.dumps([tokens.tolist(), targets.tolist()]))
`;

/** Runs `code` with models/train as the working directory → its standard output (status 0 expected). */
function python(code: string): string {
  const r = spawnSync(findTorchPython() ?? 'python3', ['-c', code], {
    cwd: join(ROOT, 'models/train'),
    encoding: 'utf8',
  });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

describe.skipIf(noTorch)('rec_seq.py window_batch', () => {
  it('targets the next item at every item position (≤ 50 per window) and nothing at BOS, frame or padding', () => {
    const [tokens, targets] = JSON.parse(python(WINDOWS)) as [number[][], number[][]];
    expect(tokens.length).toBe(16);
    tokens.forEach((row, i) => {
      expect(row.slice(0, 3)).toEqual([1, 9, 9]);
      expect(targets[i].slice(0, 3)).toEqual([0, 0, 0]);
      const items = row.slice(3).filter((t) => t > 0); // right padding is token 0
      expect(items.length).toBeGreaterThan(0);
      expect(items.length).toBeLessThanOrEqual(50);
      items.forEach((token, k) => {
        const item = token - 100 + 1; // token = base vocab + id − 1
        // both sequences continue with item + 1 (7 → 8; 1..120)
        expect(targets[i][3 + k]).toBe(item + 1);
      });
      expect(targets[i].slice(3 + items.length).every((t) => t === 0)).toBe(true);
    });
  });
});

// sequences of 10, 3 and 2 items, 3 held out: at most len − 2 per user, the rest stay training windows
const HOLD_OUT = `
import json
from rec_seq_select import hold_out
kept, held = hold_out([list(range(1, 11)), [1, 2, 3], [5, 6]], 3)
print(json.dumps([kept, held]))
`;

// two items of the bundled ml-latest-small: movieId 1 (Toy Story) and 2 (Jumanji), as the model's items 1, 2
const GENRES = `
import json, os, tempfile
from rec_seq_select import LATEST_GENRES, ItemGenresError, genre_flags
d = tempfile.mkdtemp()
json.dump(["1", "2"], open(os.path.join(d, "items.json"), "w"))
flags = genre_flags(d, os.path.join("..", "..", "public", "data", "ml-latest-small", "movies.csv"))
json.dump(["999999"], open(os.path.join(d, "items.json"), "w"))
try:
    genre_flags(d, os.path.join("..", "..", "public", "data", "ml-latest-small", "movies.csv"))
    refused = ""
except ItemGenresError as e:
    refused = str(e)
print(json.dumps([[[LATEST_GENRES[g] for g in range(len(LATEST_GENRES)) if row[g]] for row in flags.tolist()], refused]))
`;

// a made-up movies.csv: years 1995, 1939, 1940 (title in quotes with a trailing space), 2018, none
const YEARS = `
import json, os, tempfile
from rec_seq_select import YEAR_BINS, year_flags
d = tempfile.mkdtemp()
movies = os.path.join(d, "movies.csv")
open(movies, "w").write("movieId,title,genres\\n1,Toy Story (1995),Comedy\\n2,Old One (1939),Drama\\n"
                        "3,\\"Gone, The (1940) \\",Drama\\n4,New (2018),Drama\\n5,No Year,Drama\\n")
json.dump(["1", "2", "3", "4", "5"], open(os.path.join(d, "items.json"), "w"))
flags = year_flags(d, movies)
print(json.dumps([len(YEAR_BINS), [[j for j, v in enumerate(row) if v] for row in flags.tolist()]]))
`;

describe.skipIf(noTorch)('rec_seq_select.py', () => {
  it('holds out the last k training positions (at most len − 2) as (user, prefix, item) selection cases', () => {
    const [kept, held] = JSON.parse(python(HOLD_OUT)) as [number[][], [number, number[], number][]];
    expect(kept).toEqual([
      [1, 2, 3, 4, 5, 6, 7],
      [1, 2],
      [5, 6],
    ]);
    expect(held).toEqual([
      [0, [1, 2, 3, 4, 5, 6, 7], 8],
      [0, [1, 2, 3, 4, 5, 6, 7, 8], 9],
      [0, [1, 2, 3, 4, 5, 6, 7, 8, 9], 10],
      [1, [1, 2], 3],
    ]);
  });

  it("reads each item's genres from movies.csv in items.json order, and refuses a file without the items", () => {
    const [genres, refused] = JSON.parse(python(GENRES)) as [string[][], string];
    expect(genres).toEqual([
      [],
      ['Adventure', 'Animation', 'Children', 'Comedy', 'Fantasy'],
      ['Adventure', 'Children', 'Fantasy'],
    ]);
    expect(refused).toMatch(/lacks 1 of the model's items/);
  });

  it('one-hot 5-year bins of the title year: before 1940 | 1940–44 | … | 2015+ | unknown; padding row empty', () => {
    const [bins, flags] = JSON.parse(python(YEARS)) as [number, number[][]];
    expect(bins).toBe(16); // edges 1940, 1945, …, 2015
    // row 0 padding; 1995 → bin 12 (1995–99); 1939 → 0; 1940 (title with a trailing space) → 1; 2018 → 16;
    // no year → the last column (17)
    expect(flags).toEqual([[], [12], [0], [1], [16], [17]]);
  });
});

describe.skipIf(noStories || noTorch)('rec_seq.py (PyTorch, CPU)', { timeout: 300_000 }, () => {
  const out = mkdtempSync(join(tmpdir(), 'localrec-recseq-'));
  beforeAll(async () => {
    await runRecTrainer('rec_seq.py', out, [
      ...['--steps', '2', '--eval-every', '1', '--limit-valid', '20', '--batch', '4', '--r', '4'],
      ...['--holdout', '2', '--swa', '2', '--select', 'last', '--cosine'],
      ...['--genres', join(ROOT, 'public/data/ml-latest-small/movies.csv')],
      ...['--years', join(ROOT, 'public/data/ml-latest-small/movies.csv')],
    ]);
  }, 300_000);

  it('writes a "history"-prompt manifest whose golden prompt recPrompt rebuilds', () => {
    const rec = JSON.parse(readFileSync(join(out, 'rec.json'), 'utf8')) as Record<string, unknown>;
    const manifest = parseRecManifest(JSON.stringify(rec));
    expect(manifest.prompt).toBe('history');
    expect(manifest.frames).toEqual({ 'history:': HISTORY_FRAME });
    expect(manifest.itemCount).toBe(3650);
    // the golden prompt is history 1..7 (rec_tune.export): BOS + frame + tokens 512..518
    const history = [1, 2, 3, 4, 5, 6, 7];
    const want = [1, ...HISTORY_FRAME, ...history.map((id) => 511 + id)];
    expect(readGoldens(out).prompt).toEqual(want);
    expect(Array.from(recPrompt(manifest, history, [20, 21]))).toEqual(want);
    const validation = rec.validation as { bestStep: number; cases: number; heldOutPerUser: number };
    expect(validation.bestStep).toBeGreaterThanOrEqual(0);
    // 20 validation users, each with 2 held-out training positions (all have > 4 training items)
    expect([validation.cases, validation.heldOutPerUser]).toEqual([60, 2]);
  });

  it('merged with our LoRA merge, reproduces its PyTorch logits within 1e-4', async () => {
    const { vocab, worst } = await mergedGoldenError(out, 4, 16);
    expect(vocab).toBe(512 + 3650);
    expect(worst).toBeLessThan(1e-4);
  });
});

describe.skipIf(noStories || noTorch)('rec_seq.py --resume', { timeout: 600_000 }, () => {
  const once = mkdtempSync(join(tmpdir(), 'localrec-recseq-once-'));
  const twice = mkdtempSync(join(tmpdir(), 'localrec-recseq-twice-'));
  // dropout and the explanation-free defaults draw from every random stream the checkpoint must carry
  const options = [
    ...['--steps', '4', '--eval-every', '2', '--limit-valid', '10', '--batch', '4', '--r', '4'],
    ...['--holdout', '1', '--swa', '2', '--select', 'last', '--cosine', '--dropout', '0.1'],
  ];
  const logWithoutTimes = (dir: string) =>
    (JSON.parse(readFileSync(join(dir, 'train-log.json'), 'utf8')) as Record<string, unknown>[]).map(
      ({ seconds: _, ...rest }) => rest,
    );
  beforeAll(async () => {
    await runRecTrainer('rec_seq.py', once, options);
    await runRecTrainer('rec_seq.py', twice, [...options, '--stop-step', '2']); // "killed" after step 2
    await runRecTrainer('rec_seq.py', twice, [...options, '--resume']);
  }, 600_000);

  it('stopped after step 2 and resumed, takes the same steps as one uninterrupted run', () => {
    const log = logWithoutTimes(twice);
    expect(log.map((r) => r.step)).toEqual([2, 4]);
    expect(log).toEqual(logWithoutTimes(once));
    expect(readGoldens(twice).lastLogits).toEqual(readGoldens(once).lastLogits);
  });

  it('refuses to resume a checkpoint written with other options, naming them', async () => {
    const other = [...options.slice(0, 8), '--r', '8', ...options.slice(10)];
    await expect(runRecTrainer('rec_seq.py', twice, [...other, '--resume'])).rejects.toThrow(
      /CheckpointMismatchError: .*other options \(r\)/,
    );
  });
});
