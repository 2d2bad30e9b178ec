import { describe, expect, it } from 'vitest';
import { CpuOps } from '../../src/gpu/cpu-ops';
import { SasrecForward, SasrecForwardError } from '../../src/sasrec/forward';
import { EmptyHistoryError, SasrecSession, UnknownItemError } from '../../src/sasrec/session';
import { directSasrec, directTopK } from './direct-sasrec';
import { expectClose } from './expect-close';
import { randomSasrecWeights, seededRandom, tinyConfig } from './random-model';

const K = 10;

function randomHistory(random: () => number, length: number, itemCount: number): number[] {
  return Array.from({ length }, () => 1 + Math.floor(random() * itemCount));
}

describe.each(['from_start', 'right_aligned'] as const)(
  'SasrecSession vs a direct hand-written loop (%s)',
  (positions) => {
    const weights = randomSasrecWeights(tinyConfig({ positions, heads: 1 }), 11);

    it('ranks random histories of every length 1..maxLen+3 like the padded reference', async () => {
      const random = seededRandom(5);
      for (let length = 1; length <= weights.config.maxLen + 3; length++) {
        const history = randomHistory(random, length, weights.config.itemCount);
        const session = new SasrecSession(new CpuOps(), weights);
        const got = await session.rank(Int32Array.from(history), K);
        const want = directTopK(directSasrec(history, weights).scores, K, history);
        expect([...got.ids], `history [${history}]`).toEqual(want.ids);
        expectClose(got.scores, want.scores, 1e-5, `history [${history}]`);
        expect(got.incremental).toBe(false);
        expect(got.positionsComputed).toBe(Math.min(length, weights.config.maxLen));
      }
    });

    it('returns the reference attention of the last position as attribution', async () => {
      const history = [3, 9, 3, 17];
      const session = new SasrecSession(new CpuOps(), weights);
      await session.rank(Int32Array.from(history), K);
      const got = await session.attribution();
      const full = directSasrec(history, weights).attention; // [maxLen] over the padded row
      const want =
        positions === 'from_start' ? full.slice(0, history.length) : full.slice(full.length - history.length);
      expect([...got.items]).toEqual(history);
      expectClose(got.weights, want, 1e-5, 'attention');
      expect(got.weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    });
  },
);

describe('multi-head attention', () => {
  it('matches the reference with 2 heads (d = 6)', async () => {
    const weights = randomSasrecWeights(tinyConfig({ hiddenUnits: 6, heads: 2 }), 3);
    const history = [1, 5, 22, 8, 13];
    const got = await new SasrecSession(new CpuOps(), weights).rank(Int32Array.from(history), K);
    const want = directTopK(directSasrec(history, weights).scores, K, history);
    expect([...got.ids]).toEqual(want.ids);
    expectClose(got.scores, want.scores, 1e-5, 'scores');
  });
});

describe('incremental ranking equals full recompute (from_start)', () => {
  const weights = randomSasrecWeights(tinyConfig(), 29);
  const { maxLen, itemCount } = weights.config;

  it('agrees on ids and scores (1e-5) over 40 random append/edit sequences', async () => {
    const random = seededRandom(123);
    const seen = { incremental: 0, full: 0 };
    for (let sequence = 0; sequence < 40; sequence++) {
      const session = new SasrecSession(new CpuOps(), weights);
      let history = randomHistory(random, 1 + Math.floor(random() * 3), itemCount);
      let previous: number[] | null = null;
      for (let step = 0; step < 6 && history.length <= maxLen + 2; step++) {
        const got = await session.rank(Int32Array.from(history), K);
        const full = await new SasrecSession(new CpuOps(), weights).rank(Int32Array.from(history), K);
        const label = `sequence ${sequence} step ${step} [${history}]`;
        expect([...got.ids], label).toEqual([...full.ids]);
        expectClose(got.scores, full.scores, 1e-5, label);
        const extended =
          previous !== null && history.length <= maxLen && previous.every((id, i) => history[i] === id);
        expect(got.incremental, label).toBe(extended);
        const added = extended
          ? history.length - (previous as number[]).length
          : Math.min(history.length, maxLen);
        expect(got.positionsComputed, label).toBe(added);
        seen[extended ? 'incremental' : 'full']++;
        previous = history;
        if (random() < 0.15)
          history = [...history.slice(0, -1), 1 + ((history[history.length - 1] % itemCount) as number)]; // edit
        else history = [...history, ...randomHistory(random, 1 + Math.floor(random() * 2), itemCount)];
      }
    }
    expect(seen.incremental).toBeGreaterThan(60);
    expect(seen.full).toBeGreaterThan(40);
  });

  it('reuses the cached state for an identical history and can include history items', async () => {
    const session = new SasrecSession(new CpuOps(), weights);
    const history = Int32Array.of(4, 2, 4);
    const first = await session.rank(history, K);
    const again = await session.rank(history, K, { excludeHistory: false });
    expect(again).toMatchObject({ incremental: true, positionsComputed: 0 });
    const merged = directTopK(directSasrec([...history], weights).scores, K, []);
    expect([...again.ids]).toEqual(merged.ids);
    expect([...first.ids].some((id) => id === 4 || id === 2)).toBe(false);
  });
});

describe('bad input', () => {
  const weights = randomSasrecWeights(tinyConfig(), 1);

  it('rejects an empty history and unknown ids with named errors', async () => {
    const session = new SasrecSession(new CpuOps(), weights);
    await expect(session.rank(new Int32Array(0), K)).rejects.toThrow(EmptyHistoryError);
    await expect(session.rank(Int32Array.of(3, 0), K)).rejects.toThrow(UnknownItemError);
    await expect(session.rank(Int32Array.of(24), K)).rejects.toThrow(/history\[0\] = 24.*1\.\.23/);
    await expect(session.attribution()).rejects.toThrow(EmptyHistoryError);
  });

  it('refuses incremental steps that the window or position mode cannot take', () => {
    const forward = new SasrecForward(new CpuOps(), weights);
    expect(() => forward.append(3)).toThrow(SasrecForwardError);
    forward.prefill(Int32Array.of(1, 2, 3, 4, 5, 6, 7), 0);
    expect(() => forward.append(3)).toThrow(/window 7/);
    expect(() => forward.prefill(Int32Array.of(1, 2), 6)).toThrow(/outside/);
    const right = new SasrecForward(
      new CpuOps(),
      randomSasrecWeights(tinyConfig({ positions: 'right_aligned' }), 1),
    );
    right.prefill(Int32Array.of(1), 6);
    expect(() => right.append(2)).toThrow(/right_aligned/);
  });
});

describe('recovery', () => {
  it('recomputes after a forward pass failed half-way instead of extending stale caches', async () => {
    const weights = randomSasrecWeights(tinyConfig(), 8);
    const ops = new CpuOps();
    const session = new SasrecSession(ops, weights);
    await session.rank(Int32Array.of(1, 2, 3), K);
    const attention = ops.attention.bind(ops);
    ops.attention = () => {
      throw new Error('device lost');
    };
    await expect(session.rank(Int32Array.of(9, 9), K)).rejects.toThrow('device lost');
    ops.attention = attention;
    const got = await session.rank(Int32Array.of(1, 2, 3, 4), K);
    expect(got).toMatchObject({ incremental: false, positionsComputed: 4 });
    const want = directTopK(directSasrec([1, 2, 3, 4], weights).scores, K, [1, 2, 3, 4]);
    expect([...got.ids]).toEqual(want.ids);
  });
});
