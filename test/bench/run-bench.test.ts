/**
 * The bench protocol on the tiny fixture model in Node: our engine on CpuOps and FastCpuOps and
 * onnxruntime-web (wasm) as the peer. Checks what each row computed and that the backends agree;
 * no timing is asserted (a counting fake clock makes the samples deterministic).
 */
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareTops } from '../../src/bench/agreement';
import { countingOps } from '../../src/bench/op-counter';
import { onnxRanker, sessionRanker } from '../../src/bench/rankers';
import {
  BenchProtocolError,
  benchBackend,
  type BenchPlan,
  type BenchRanker,
} from '../../src/bench/run-bench';
import type { BackendId } from '../../src/bench/report';
import { CpuOps } from '../../src/gpu/cpu-ops';
import { FastCpuOps } from '../../src/gpu/cpu-fast/fast-cpu-ops';
import { OnnxSasrecSession } from '../../src/sasrec/onnx-backend';
import type { RankResult } from '../../src/sasrec/history';
import { loadSasrecModel } from '../../src/sasrec/weights';
import { diskFetchFile } from '../sasrec/model-dir';

const dir = join(resolve(import.meta.dirname, '../..'), 'test/fixtures/sasrec-tiny'); // 37 items, maxLen 8

/** A clock that advances 1 ms per reading: every sample is exactly 1. */
function tickingClock(): () => number {
  let t = 0;
  return () => t++;
}

describe('benchBackend on the tiny fixture', () => {
  it('full rows recompute the window, incremental rows compute 1 position (cache) or n (ONNX); top-10s agree', async () => {
    const { weights } = await loadSasrecModel(diskFetchFile(dir));
    const plan: BenchPlan = {
      lengths: [3, 8],
      warmup: 1,
      runs: 3,
      k: 10,
      seed: 5,
      itemCount: 37,
      maxLen: 8,
      now: tickingClock(),
    };
    const rankers: BenchRanker[] = [
      sessionRanker('cpu', new CpuOps(), weights),
      sessionRanker('cpu-fast', new FastCpuOps(), weights),
      onnxRanker('ort-wasm', await OnnxSasrecSession.load(diskFetchFile(dir))),
    ];
    const tops = new Map<BackendId, Map<number, RankResult>>();
    const lines: string[] = [];
    for (const ranker of rankers) {
      const result = await benchBackend(ranker, plan, (line) => lines.push(line));
      await ranker.dispose();
      tops.set(ranker.backend, result.tops);
      const computed = result.rows.map((r) => [
        r.historyLength,
        r.kind,
        r.positionsComputed,
        r.samples.length,
      ]);
      const incremental = ranker.cached ? [1, 1] : [3, 8];
      expect(computed, ranker.backend).toEqual([
        [3, 'full', 3, 3],
        [3, 'incremental', incremental[0], 3],
        [8, 'full', 8, 3],
        [8, 'incremental', incremental[1], 3],
      ]);
      expect(result.rows.every((r) => r.latency.median === 1 && r.latency.p90 === 1)).toBe(true);
      const ops = result.rows.map((r) => r.opsPerRequest);
      if (ranker.cached) {
        expect(
          ops.every((n) => n !== undefined && n > 10),
          `${ranker.backend} ops ${ops}`,
        ).toBe(true);
        expect(result.probes.map((p) => p.latency.runs)).toEqual(Array(9).fill(3)); // round trip, 3 per row count, score, topK
      } else {
        expect(ops).toEqual([undefined, undefined, undefined, undefined]);
        expect(result.probes).toEqual([]);
      }
    }
    expect(lines).toHaveLength(12 + 2 * 9); // 4 rows per backend + 9 probes on each of our 2 backends
    const agreement = compareTops(tops);
    expect(agreement.map((a) => [a.historyLength, a.reference, a.mismatches])).toEqual([
      [3, 'cpu', []],
      [8, 'cpu', []],
    ]);
    expect(agreement.every((a) => a.referenceIds.length === 10 && a.maxScoreDiff < 1e-4)).toBe(true);
  });

  it('refuses lengths that cannot show an incremental update', async () => {
    const ranker: BenchRanker = {
      backend: 'cpu',
      cached: true,
      rank: async () => {
        throw new Error('unused');
      },
      dispose() {},
    };
    const plan: BenchPlan = {
      lengths: [9],
      warmup: 0,
      runs: 1,
      k: 10,
      seed: 1,
      itemCount: 37,
      maxLen: 8,
      now: () => 0,
    };
    await expect(benchBackend(ranker, plan)).rejects.toThrow(BenchProtocolError);
  });

  it('reports a backend whose "full" request reused its cache as a protocol error', async () => {
    const reuse = async (h: Int32Array): Promise<RankResult> => ({
      ids: Int32Array.of(1),
      scores: Float32Array.of(0),
      incremental: true,
      positionsComputed: h.length,
    });
    const ranker: BenchRanker = { backend: 'cpu', cached: true, rank: reuse, dispose() {} };
    const plan: BenchPlan = {
      lengths: [4],
      warmup: 0,
      runs: 1,
      k: 1,
      seed: 1,
      itemCount: 37,
      maxLen: 8,
      now: () => 0,
    };
    await expect(benchBackend(ranker, plan)).rejects.toThrow(/cpu full row at window 4/);
  });
});

describe('countingOps', () => {
  it('counts recording ops, not release, and leaves results unchanged (private fields still work)', async () => {
    const { ops, counter } = countingOps(new CpuOps());
    const x = ops.upload(Float32Array.of(1, 2), [1, 2]); // [1, 2]
    const y = ops.add(x, x); // [1, 2]
    ops.release(x);
    expect([...(await ops.read(y))]).toEqual([2, 4]);
    expect(counter.read()).toBe(3); // upload, add, read
    counter.reset();
    expect(counter.read()).toBe(0);
    expect(ops.backend).toBe('cpu');
  });
});

describe('compareTops', () => {
  const top = (ids: number[], scores: number[]): RankResult => ({
    ids: Int32Array.from(ids),
    scores: Float32Array.from(scores),
    incremental: false,
    positionsComputed: 1,
  });

  it('lists backends whose ids differ and the largest score gap among those that agree', () => {
    const tops = new Map<BackendId, Map<number, RankResult>>([
      ['wgsl', new Map([[5, top([1, 2], [0.5, 0.25])]])],
      ['cpu', new Map([[5, top([1, 2], [0.5, 0.3])]])],
      ['ort-wasm', new Map([[5, top([2, 1], [0.5, 0.3])]])],
    ]);
    const [a] = compareTops(tops);
    expect(a.reference).toBe('cpu');
    expect(a.mismatches).toEqual([{ backend: 'ort-wasm', ids: [2, 1] }]);
    expect(a.maxScoreDiff).toBeCloseTo(0.05, 6);
  });
});
