/**
 * Backend calibration with a fake clock: each backend call advances the clock by a fixed cost, so
 * "which is fastest" is decided by construction, never by real timings.
 */
import { describe, expect, it } from 'vitest';
import { CpuOps } from '../../src/gpu/cpu-ops';
import { FastCpuOps } from '../../src/gpu/cpu-fast/fast-cpu-ops';
import type { Tensor, TensorOps, TopK } from '../../src/gpu/ops';
import { CalibrationError, calibrate, calibrationHistory } from '../../src/sasrec/calibrate';
import { randomSasrecWeights, tinyConfig } from './random-model';

const weights = randomSasrecWeights(tinyConfig({ itemCount: 40, maxLen: 9 }), 3);

/** A fake millisecond clock. */
class FakeClock {
  ms = 0;
  readonly now = (): number => this.ms;
}

/** `ops` whose every method call costs `cost` fake milliseconds; `override` replaces methods. */
function clocked(
  ops: TensorOps<Tensor>,
  clock: FakeClock,
  cost: number,
  override: Partial<Record<keyof TensorOps<Tensor>, (...args: never[]) => unknown>> = {},
): TensorOps<Tensor> {
  return new Proxy(ops, {
    get(target, prop) {
      const value = (override as Record<string | symbol, unknown>)[prop] ?? Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        clock.ms += cost;
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

describe('calibrate', () => {
  it('picks the cheaper backend and reports both medians (slow one listed first)', async () => {
    const clock = new FakeClock();
    const slow = { name: 'webgpu', ops: clocked(new CpuOps(), clock, 10) };
    const fast = { name: 'cpu', ops: clocked(new FastCpuOps(), clock, 1) };
    const result = await calibrate([slow, fast], weights, { now: clock.now, runs: 3 });
    expect(result.chosen).toBe(fast);
    expect(result.timings.map((t) => t.name)).toEqual(['webgpu', 'cpu']);
    const [slowT, fastT] = result.timings;
    // The same op sequence on both: the medians differ exactly by the cost ratio.
    expect(slowT.fullMs).toBe(10 * fastT.fullMs);
    expect(slowT.incrementalMs).toBe(10 * fastT.incrementalMs);
    expect(fastT.incrementalMs).toBeLessThan(fastT.fullMs); // one new position instead of the window
    expect(fastT.costMs).toBe(fastT.fullMs + fastT.incrementalMs);
    expect(result.summary).toMatch(/^webgpu: full [\d.]+ ms, \+1 item [\d.]+ ms; cpu: .* → cpu \(fastest\)$/);
  });

  it('rejects a faster backend whose scores differ from the reference', async () => {
    const clock = new FakeClock();
    const cpu = new CpuOps();
    const wrongTopK = async (scores: Tensor, k: number, exclude: Int32Array): Promise<TopK> => {
      const top = await cpu.topK(scores as never, k, exclude);
      return { ids: top.ids, scores: top.scores.map((s) => s + 0.5) };
    };
    const reference = { name: 'cpu', ops: clocked(new FastCpuOps(), clock, 5) };
    const broken = { name: 'webgpu', ops: clocked(cpu, clock, 1, { topK: wrongTopK as never }) };
    const result = await calibrate([reference, broken], weights, { now: clock.now, runs: 2 });
    expect(result.chosen).toBe(reference);
    expect(result.timings[1].rejected).toMatch(/request 0, rank 0: score .* but cpu computed/);
    expect(result.summary).toMatch(/webgpu: not used .* → cpu \(the only one that worked\)$/);
  });

  it('records a backend that throws and uses the other one', async () => {
    const failing = clocked(new CpuOps(), new FakeClock(), 0, {
      linear: (() => {
        throw new Error('device lost');
      }) as never,
    });
    const result = await calibrate(
      [
        { name: 'webgpu', ops: failing },
        { name: 'cpu', ops: new FastCpuOps() },
      ],
      weights,
      { runs: 1 },
    );
    expect(result.chosen.name).toBe('cpu');
    expect(result.timings[0]).toMatchObject({ name: 'webgpu', rejected: 'failed: device lost' });
    expect(result.timings[0].fullMs).toBeNaN();
    expect(Number.isFinite(result.timings[1].costMs)).toBe(true);
  });

  it('throws CalibrationError when nothing can run, or nothing was offered', async () => {
    const failing = clocked(new CpuOps(), new FakeClock(), 0, {
      embed: (() => {
        throw new Error('no adapter');
      }) as never,
    });
    await expect(calibrate([{ name: 'webgpu', ops: failing }], weights)).rejects.toThrow(
      /no backend could run the model: webgpu: not used \(failed: no adapter\)/,
    );
    await expect(calibrate([], weights)).rejects.toThrow(CalibrationError);
  });

  it('uses distinct in-range synthetic histories per round (each forces a full recompute)', () => {
    const a = calibrationHistory(1, 8, 40);
    const b = calibrationHistory(2, 8, 40);
    expect(a.every((id) => id >= 1 && id <= 40)).toBe(true);
    expect(Array.from(a)).not.toEqual(Array.from(b));
    expect(a[0]).not.toBe(b[0]); // differs at the first item, so b never extends a cached a
  });
});
