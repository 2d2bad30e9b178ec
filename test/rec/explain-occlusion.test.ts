import { describe, expect, it } from 'vitest';
import { CpuOps } from '../../src/gpu/cpu-ops.ts';
import { createSasrecHandlers } from '../../src/protocol/sasrec-handler.ts';
import { occludeHistory, topAttended, type HistoryScorer } from '../../src/rec/explain-occlusion.ts';
import type { Tensor } from '../../src/gpu/ops.ts';
import { SasrecSession } from '../../src/sasrec/session.ts';
import { loadSasrecModel } from '../../src/sasrec/weights.ts';
import { diskFetchFile } from '../sasrec/model-dir.ts';
import { ORIGIN, ctx, env, fixtureDir } from '../protocol/sasrec-fixture.ts';

/** score(item | history) = Σ over history items h of w[h][item] — occlusion drops are then w itself. */
const additive =
  (w: Record<number, Record<number, number>>, calls: number[][]): HistoryScorer =>
  async (histories, items) => {
    calls.push(histories.map((h) => h.length));
    const out = new Float32Array(histories.length * items.length);
    histories.forEach((h, r) =>
      items.forEach((item, i) => {
        for (const id of h) out[r * items.length + i] += w[id]?.[item] ?? 0;
      }),
    );
    return out;
  };

describe('occludeHistory (additive hand model)', () => {
  const w = { 1: { 9: 0.5, 8: 0 }, 2: { 9: 2, 8: -1 }, 3: { 9: 0.25, 8: 1 } };

  it("measures each history item's score drop, largest first, in one scorer call", async () => {
    const calls: number[][] = [];
    const r = await occludeHistory(
      additive(w, calls),
      Int32Array.of(1, 2, 3),
      Int32Array.of(9, 8),
      3,
      Float32Array.of(0.2, 0.3, 0.5),
      10,
    );
    expect(calls).toEqual([[3, 2, 2, 2]]);
    expect(r.baseScores).toEqual([2.75, 0]);
    expect(r.perItem[0].map((e) => [e.itemId, e.index, e.drop])).toEqual([
      [2, 1, 2],
      [1, 0, 0.5],
      [3, 2, 0.25],
    ]);
    expect(r.perItem[1].map((e) => [e.itemId, e.drop])).toEqual([
      [3, 1],
      [1, 0],
      [2, -1],
    ]);
    expect(r).toMatchObject({ considered: 3, windowLength: 3 });
  });

  it('limits occlusion to the most attended window positions and keeps history indices', async () => {
    // history of 5, window = last 3 (ids 1, 2, 3 at history indices 2..4)
    const r = await occludeHistory(
      additive(w, []),
      Int32Array.of(3, 3, 1, 2, 3),
      Int32Array.of(9),
      3,
      Float32Array.of(0.6, 0.1, 0.3),
      2,
    );
    expect(r.considered).toBe(2);
    expect(r.perItem[0].map((e) => [e.itemId, e.index])).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  it('does not occlude a one-item history', async () => {
    const r = await occludeHistory(
      additive(w, []),
      Int32Array.of(2),
      Int32Array.of(9),
      1,
      Float32Array.of(1),
      5,
    );
    expect(r.considered).toBe(0);
    expect(r.perItem).toEqual([[]]);
    expect(r.baseScores).toEqual([2]);
  });

  it('picks top attended positions, ties to the more recent', () => {
    expect(topAttended(Float32Array.of(0.2, 0.4, 0.2, 0.2), 2)).toEqual([1, 3]);
  });
});

describe('sasrec.explain on the tiny SASRec fixture', () => {
  it('occlusion drops equal rank-score differences of the same model', async () => {
    const h = createSasrecHandlers(env({ createGpuOps: async () => new CpuOps() }));
    await h['sasrec.load']({ modelUrl: `${ORIGIN}/models/tiny/`, backend: 'cpu' }, ctx());
    const history = [3, 17, 5, 22, 9];
    const all = async (hist: number[]): Promise<Map<number, number>> => {
      const r = await h['sasrec.rank']({ history: hist, k: 37, excludeHistory: false }, ctx());
      return new Map(r.ids.map((id, i) => [id, r.scores[i]]));
    };
    const top = await h['sasrec.rank']({ history, k: 3 }, ctx());
    const facts = await h['sasrec.explain']({ history, items: top.ids, top: 3 }, ctx());
    expect(facts).toMatchObject({ occlusionConsidered: 5, windowLength: 5, backend: 'cpu' });
    const base = await all(history);
    for (const [i, id] of top.ids.entries()) {
      const f = facts.items[i];
      expect(f.baseScore).toBeCloseTo(base.get(id) ?? NaN, 4);
      expect(f.occlusion).toHaveLength(5);
      expect(f.attention.length).toBeGreaterThan(0);
      for (const o of f.occlusion) {
        const without = history.filter((_, j) => j !== o.index);
        expect(o.itemId).toBe(history[o.index]);
        expect(o.drop).toBeCloseTo((base.get(id) ?? NaN) - ((await all(without)).get(id) ?? NaN), 4);
      }
    }
    // ranking afterwards still matches (the session's caches were not disturbed)
    expect((await h['sasrec.rank']({ history, k: 3 }, ctx())).ids).toEqual(top.ids);
  });

  it('caps occlusion at maxOcclusion over a history longer than the window', async () => {
    const h = createSasrecHandlers(env());
    await h['sasrec.load']({ modelUrl: `${ORIGIN}/models/tiny/`, backend: 'cpu' }, ctx());
    const history = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]; // window 8
    const facts = await h['sasrec.explain']({ history, items: [20], top: 2, maxOcclusion: 3 }, ctx());
    expect(facts).toMatchObject({ occlusionConsidered: 3, windowLength: 8 });
    expect(facts.items[0].occlusion.every((o) => o.index >= 4 && history[o.index] === o.itemId)).toBe(true);
  });
});

describe('explainOnModel with a concurrently re-ranked session', () => {
  it('reads the attention again when another history was ranked in between, and gives up by name', async () => {
    const { explainOnModel, SessionRaceError } = await import('../../src/rec/explain-model.ts');
    const { weights } = await loadSasrecModel(diskFetchFile(fixtureDir));
    const ops = new CpuOps();
    const real = new SasrecSession(ops, weights);
    const windows = [Int32Array.of(9, 9), Int32Array.of(3, 17)]; // first read: someone else's history
    let reads = 0;
    const racing = {
      rank: (history: Int32Array, k: number) => real.rank(history, k),
      attribution: async () => ({ ...(await real.attribution()), items: windows[Math.min(reads++, 1)] }),
    } as unknown as SasrecSession<Tensor>;
    const facts = await explainOnModel({ session: racing, ops, weights }, [3, 17], [5], 1);
    expect(reads).toBe(2);
    expect(facts.windowLength).toBe(2);
    const always = {
      ...racing,
      attribution: async () => ({ ...(await real.attribution()), items: windows[0] }),
    };
    await expect(
      explainOnModel({ session: always as unknown as SasrecSession<Tensor>, ops, weights }, [3, 17], [5], 1),
    ).rejects.toThrow(SessionRaceError);
  });
});
