import { describe, expect, it } from 'vitest';
import { benchHistory, HistoryTooLongError, withFirstItemReplaced } from '../../src/bench/histories';
import { InvalidRunCountError, measure } from '../../src/bench/measure';

describe('measure', () => {
  it('times only the requests after the warm-up, with prepare outside the clock', async () => {
    let clock = 0;
    const calls: string[] = [];
    const result = await measure(
      {
        prepare: async (i) => {
          calls.push(`prepare ${i}`);
          clock += 100; // must not be counted
        },
        request: async (i) => {
          calls.push(`request ${i}`);
          clock += i + 1; // request i takes i + 1 ms
          return i;
        },
      },
      { warmup: 2, runs: 3, now: () => clock },
    );
    expect(result.samples).toEqual([3, 4, 5]);
    expect(result.results).toEqual([2, 3, 4]);
    expect(calls.slice(0, 4)).toEqual(['prepare 0', 'request 0', 'prepare 1', 'request 1']);
  });

  it('rejects run counts that are not whole numbers (runs ≥ 1)', async () => {
    const step = { request: async () => 0 };
    await expect(measure(step, { warmup: 0, runs: 0, now: () => 0 })).rejects.toThrow(InvalidRunCountError);
    await expect(measure(step, { warmup: 1.5, runs: 1, now: () => 0 })).rejects.toThrow(/warmup 1.5/);
  });
});

describe('bench histories', () => {
  it('are distinct ids in 1..itemCount, the same for the same seed and different for another', () => {
    const a = benchHistory(50, 30, 1);
    expect(new Set(a).size).toBe(30);
    expect(a.every((id) => id >= 1 && id <= 50)).toBe(true);
    expect(benchHistory(50, 30, 1)).toEqual(a);
    expect(benchHistory(50, 30, 2)).not.toEqual(a);
  });

  it('the edited copy differs only in the first item, by an id not in the history', () => {
    const h = Int32Array.of(1, 2, 4, 3);
    expect([...withFirstItemReplaced(h, 9)]).toEqual([5, 2, 4, 3]);
    expect([...h]).toEqual([1, 2, 4, 3]);
    expect(() => withFirstItemReplaced(Int32Array.of(2, 1), 2)).toThrow(HistoryTooLongError);
  });

  it('refuses histories the catalog cannot fill (length + 1 distinct ids needed)', () => {
    expect(() => benchHistory(10, 10, 1)).toThrow(/needs 11 distinct ids/);
    expect(() => benchHistory(10, 0, 1)).toThrow(HistoryTooLongError);
  });
});
