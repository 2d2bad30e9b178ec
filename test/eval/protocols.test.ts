import { describe, expect, it } from 'vitest';
import type { EvalCase } from '../../src/data/split.ts';
import { ScorerOutputError } from '../../src/eval/errors.ts';
import { evaluate, rankAmong, rankFull, sampleNegatives } from '../../src/eval/protocols.ts';
import { Rng } from '../../src/eval/random.ts';

const N = 300;
const evalCase = (user: number, seq: number[]): EvalCase => {
  const s = Int32Array.from(seq);
  return { user, history: s.subarray(0, s.length - 1), target: s[s.length - 1], interacted: s };
};

describe('rankFull / rankAmong', () => {
  it('counts higher and equal candidates, skipping excluded ones (hand example)', () => {
    const scores = Float32Array.of(99, 0.9, 0.5, 0.7, 0.5, 0.1); // [N + 1], index 0 ignored
    const excluded = Uint8Array.of(0, 0, 0, 1, 0, 0); // item 3 is in the history
    // target 2 (0.5): item 1 (0.9) above, item 4 (0.5) tie → counted above; item 5 below → rank 2
    expect(rankFull(scores, 2, excluded)).toBe(2);
    expect(rankFull(scores, 2, new Uint8Array(6))).toBe(3);
    expect(rankAmong(scores, 2, Int32Array.of(5, 4))).toBe(1);
  });

  it('agrees with sorting all candidates (target placed after its ties) on random cases', () => {
    const rng = new Rng(5);
    for (let trial = 0; trial < 200; trial++) {
      const n = 1 + rng.nextInt(20);
      const scores = Float32Array.from({ length: n + 1 }, () => rng.nextInt(5)); // many ties
      const target = 1 + rng.nextInt(n);
      const excluded = Uint8Array.from({ length: n + 1 }, (_, j) =>
        j !== target && rng.nextInt(3) === 0 ? 1 : 0,
      );
      const candidates = [...Array(n).keys()].map((i) => i + 1).filter((j) => j !== target && !excluded[j]);
      const order = [...candidates, target].sort(
        (a, b) => scores[b] - scores[a] || (a === target ? 1 : b === target ? -1 : 0),
      );
      expect(rankFull(scores, target, excluded)).toBe(order.indexOf(target));
    }
  });
});

describe('sampleNegatives', () => {
  const interacted = Int32Array.of(1, 2, 3, 50);

  it('draws distinct items the user never interacted with, reproducibly', () => {
    const a = sampleNegatives(interacted, N, 100, new Rng(9));
    expect(a).toHaveLength(100);
    expect(new Set(a).size).toBe(100);
    for (const id of a) expect(id >= 1 && id <= N && ![1, 2, 3, 50].includes(id)).toBe(true);
    expect([...sampleNegatives(interacted, N, 100, new Rng(9))]).toEqual([...a]);
  });

  it('returns every available item when fewer exist than asked', () => {
    const few = sampleNegatives(interacted, 6, 100, new Rng(1));
    expect([...few].sort((x, y) => x - y)).toEqual([4, 5, 6]);
  });

  it('is close to uniform over allowed items (both sampling paths)', () => {
    for (const [itemCount, count] of [
      [20, 2],
      [8, 3],
    ]) {
      const rng = new Rng(77);
      const freq = new Array(itemCount + 1).fill(0);
      const trials = 6000;
      for (let t = 0; t < trials; t++)
        for (const id of sampleNegatives(Int32Array.of(1), itemCount, count, rng)) freq[id]++;
      const expected = (trials * count) / (itemCount - 1);
      expect(freq[1]).toBe(0);
      for (let id = 2; id <= itemCount; id++)
        expect(Math.abs(freq[id] - expected) / expected).toBeLessThan(0.1);
    }
  });
});

describe('evaluate', () => {
  const cases = [evalCase(0, [5, 6, 7, 8]), evalCase(1, [9, 10, 11]), evalCase(2, [12, 12, 13, 12])];

  it('an oracle scorer ranks every target first in both protocols', async () => {
    let i = 0;
    const targets = cases.map((c) => c.target);
    const oracle = (history: Int32Array) => {
      const s = new Float32Array(N + 1);
      history.forEach((id) => (s[id] = 10)); // history scores highest but is excluded…
      s[targets[i++]] = 9; // …so the target is first among the rest
      return s;
    };
    const r = await evaluate(cases, oracle, { itemCount: N });
    // user 2's target 12 is also in the history: it must stay a candidate (not excluded)
    expect([...r.full.ranks]).toEqual([0, 0, 0]);
    expect([...r.sampled.ranks]).toEqual([0, 0, 0]);
    expect(r.full.metrics.hr[1]).toBe(1);
    expect(r.sampled.metrics.users).toBe(3);
  });

  it('a constant scorer ranks the target last (pessimistic ties)', async () => {
    const r = await evaluate(cases, async () => new Float32Array(N + 1), { itemCount: N, negatives: 100 });
    // full: N - 1 other items minus distinct history items other than the target
    // (user 2: history {12, 13}, target 12 stays a candidate, so only 13 is excluded)
    expect([...r.full.ranks]).toEqual([N - 1 - 3, N - 1 - 2, N - 1 - 1]);
    expect([...r.sampled.ranks]).toEqual([100, 100, 100]);
    expect(r.full.metrics.hr[20]).toBe(0);
  });

  it('sampled ranks do not depend on which other users are evaluated', async () => {
    const score = () => Float32Array.from({ length: N + 1 }, (_, j) => (j * 7919) % 101);
    const all = await evaluate(cases, score, { itemCount: N, seed: 3 });
    const last = await evaluate(cases.slice(2), score, { itemCount: N, seed: 3 });
    expect(last.sampled.ranks[0]).toBe(all.sampled.ranks[2]);
  });

  it('rejects scores of the wrong length or with NaN', async () => {
    await expect(evaluate(cases, () => new Float32Array(N), { itemCount: N })).rejects.toThrowError(
      ScorerOutputError,
    );
    await expect(
      evaluate(cases, () => new Float32Array(N + 1).fill(NaN), { itemCount: N }),
    ).rejects.toThrowError(/NaN/);
  });
});
