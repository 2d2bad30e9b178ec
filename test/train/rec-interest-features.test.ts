/**
 * The interest task's Python helpers: item statistics from earlier samples (rec_interest_features.py),
 * ml-latest-small's genres mapped onto the ML-100K order, title matching between the two data sets, disjoint validation draws, and the Python
 * prompt (rec_interest_data.py) equal to src/rec/interest.ts's in both layouts.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findTorchPython } from '../../models/tools/python.ts';
import { interestPrompt, parseInterestManifest } from '../../src/rec/interest.ts';
import { requireOrSkip } from '../helpers/require.ts';

const TRAIN_DIR = resolve(import.meta.dirname, '../../models/train');
const noTorch = requireOrSkip(findTorchPython() !== null, 'PyTorch (Debian python3-torch) not installed');

/** Runs a Python snippet in models/train and parses the JSON it prints. */
function python(script: string): unknown {
  const r = spawnSync(findTorchPython() ?? 'python3', ['-c', script], { cwd: TRAIN_DIR, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

describe.skipIf(noTorch)('rec_interest_features.py', () => {
  it('item_stats: a higher like rate and count rank higher, unseen items and padding sit at 0', () => {
    // item 1: 3 of 3 liked; item 2: 0 of 1; item 3: 1 of 2; item 4 never a target
    const stats = python(`
import json
from rec_interest_features import item_stats
s = [(0, [], 1, 1), (1, [], 1, 1), (2, [], 1, 1), (3, [], 2, 0), (4, [], 3, 1), (5, [], 3, 0)]
print(json.dumps(item_stats(s, 4).tolist()))
`) as number[][];
    expect(stats).toHaveLength(5);
    expect(stats[0]).toEqual([0, 0]);
    expect(stats[4]).toEqual([0, 0]);
    const [rate, count] = [stats.slice(1, 4).map((r) => r[0]), stats.slice(1, 4).map((r) => r[1])];
    expect(rate[0]).toBeGreaterThan(rate[2]);
    expect(rate[2]).toBeGreaterThan(rate[1]);
    expect(count[0]).toBeGreaterThan(count[2]);
    expect(count[2]).toBeGreaterThan(count[1]);
    expect(rate.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 5); // standardised over seen items
  });

  it('read_ml_latest maps genres onto the ML-100K order and ids onto 1..N', () => {
    const dir = mkdtempSync(join(tmpdir(), 'localrec-latest-'));
    writeFileSync(
      join(dir, 'movies.csv'),
      'movieId,title,genres\n10,"A, The (1999)",Children|IMAX|Drama\n7,B (2001),(no genres listed)\n',
    );
    writeFileSync(join(dir, 'ratings.csv'), 'userId,movieId,rating,timestamp\n5,7,3.5,20\n5,10,2.0,10\n');
    const [users, genres, titles] = python(`
import json
from rec_interest_features import read_ml_latest
users, genres, titles = read_ml_latest(${JSON.stringify(dir)})
print(json.dumps([users, genres.tolist(), titles]))
`) as [Record<string, number[][]>, number[][], string[]];
    expect(users['5']).toEqual([
      [10, 1, 2.0],
      [20, 2, 3.5],
    ]);
    const flagged = (row: number[]) => row.flatMap((v, i) => (v ? [i] : []));
    expect(genres.map(flagged)).toEqual([[], [4, 8], [0]]); // Children's = 4, Drama = 8, unknown = 0
    expect(titles).toEqual(['', 'A, The (1999)', 'B (2001)']);
  });

  it('title_keys match MovieLens spellings of the same film, not other years', () => {
    const same = python(`
import json
from rec_interest_features import title_keys
pairs = [("Twelve Monkeys (1995)", "Twelve Monkeys (a.k.a. 12 Monkeys) (1995)"),
         ("Usual Suspects, The (1995)", "The Usual Suspects (1995)"),
         ("Star Wars (1977)", "Star Wars: Episode IV - A New Hope (1977)"),
         ("Star Wars (1977)", "Star Wars (1978)")]
print(json.dumps([bool(set(title_keys(a)) & set(title_keys(b))) for a, b in pairs]))
`);
    expect(same).toEqual([true, true, true, false]);
  });

  it('disjoint_draws: seeded draws that share no sample', () => {
    const [a, b] = python(`
import json
from rec_interest_data import disjoint_draws
print(json.dumps(disjoint_draws(list(range(20)), (5, 10), seed=1)))
`) as number[][];
    expect(a).toHaveLength(5);
    expect(b).toHaveLength(10);
    expect(a.filter((x) => b.includes(x))).toEqual([]);
    expect([...a].sort((x, y) => x - y)).toEqual(a);
  });

  it.each(['grouped', 'marked'] as const)('the Python %s prompt equals the runtime one', (layout) => {
    const frames = {
      'liked:': [2, 3],
      'disliked:': [4],
      'history:': [11],
      'target:': [5],
      'answer:': [6, 7],
    };
    const history: [number, number][] = [
      [3, 4],
      [1, 2],
      [5, 5],
    ];
    const ours = python(`
import json
from rec_interest_data import prompt_tokens
print(json.dumps(prompt_tokens(${JSON.stringify(frames)}, ${JSON.stringify(history)}, 2, 10, "${layout}", [8, 9])))
`) as number[];
    const manifest = parseInterestManifest({
      layout,
      baseVocab: 10,
      itemCount: 5,
      frames,
      answerIds: [8, 9],
    });
    const history2 = history.map(([item, rating]) => ({ item, rating }));
    expect(ours).toEqual(Array.from(interestPrompt(manifest, history2, 2)));
  });
});
