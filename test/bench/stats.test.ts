import { describe, expect, it } from 'vitest';
import { InvalidSamplesError, median, percentile, summarize } from '../../src/bench/stats';

describe('median and p90', () => {
  it('median: middle value for odd counts, mean of the two middle ones for even counts (order-free)', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
  });

  it('p90 is the nearest-rank value: sorted[ceil(0.9 n) - 1]', () => {
    const ten = [10, 1, 9, 2, 8, 3, 7, 4, 6, 5]; // sorted 1..10 → ceil(9) - 1 = index 8 → 9
    expect(percentile(ten, 90)).toBe(9);
    const eleven = [...ten, 11]; // ceil(9.9) - 1 = index 9 → 10
    expect(percentile(eleven, 90)).toBe(10);
    expect(percentile([3, 1, 2], 90)).toBe(3); // ceil(2.7) - 1 = 2
    expect(percentile([3, 1, 2], 100)).toBe(3);
  });

  it('summarize reports runs, median, p90, min and max without changing the input', () => {
    const samples = [2.5, 0.5, 1.5, 3.5];
    expect(summarize(samples)).toEqual({ runs: 4, median: 2, p90: 3.5, min: 0.5, max: 3.5 });
    expect(samples).toEqual([2.5, 0.5, 1.5, 3.5]);
  });

  it('rejects empty, negative or non-finite samples and bad percentiles with InvalidSamplesError', () => {
    expect(() => median([])).toThrow(InvalidSamplesError);
    expect(() => summarize([1, Number.NaN])).toThrow(/sample 1 is NaN/);
    expect(() => summarize([-1])).toThrow(InvalidSamplesError);
    expect(() => percentile([1], 0)).toThrow(/\(0, 100]/);
  });
});
