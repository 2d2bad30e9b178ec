import { describe, expect, it } from 'vitest';
import { WidgetInputError, parseHistoryInput, parseItemKey } from '../../src/widget/history-input.ts';

describe('parseHistoryInput', () => {
  it('accepts arrays and iterables of string and number keys, in order', () => {
    expect(parseHistoryInput(['1', 2, 'abc'])).toEqual(['1', '2', 'abc']);
    expect(parseHistoryInput(new Set([5, 6]))).toEqual(['5', '6']);
    expect(parseHistoryInput([])).toEqual([]);
  });

  it('refuses what is not a list of keys, saying what it got', () => {
    const cases: [unknown, string][] = [
      [42, 'got a number (42)'],
      [null, 'got null'],
      [undefined, 'got undefined'],
      ['1,2,3', 'got a string ("1,2,3")'], // a string is iterable, but its characters are not keys
      [{ 0: '1', length: 1 }, 'got an object'],
    ];
    for (const [value, got] of cases) {
      expect(() => parseHistoryInput(value)).toThrow(WidgetInputError);
      expect(() => parseHistoryInput(value)).toThrow(
        `<local-rec>: history must be an array of item keys, oldest first (e.g. el.history = ['1', '2']), ${got}.`,
      );
    }
  });

  it('names the first bad key by index', () => {
    expect(() => parseHistoryInput(['1', { id: 2 }])).toThrow('history[1] must be an item key');
    expect(() => parseHistoryInput(['1', ''])).toThrow(/history\[1\] .* got a string \(""\)/);
    expect(() => parseHistoryInput([Number.NaN])).toThrow('got a number (NaN)');
    expect(() => parseHistoryInput(['x'.repeat(201)])).toThrow(/at most 200 characters/);
  });
});

describe('parseItemKey', () => {
  it('turns finite numbers into strings and refuses other values', () => {
    expect(parseItemKey(7, 'addViewed(key)')).toBe('7');
    expect(parseItemKey('a-b', 'addViewed(key)')).toBe('a-b');
    expect(() => parseItemKey(true, 'addViewed(key)')).toThrow(
      '<local-rec>: addViewed(key) must be an item key (a non-empty string of at most 200 characters, or a finite number), got a boolean (true).',
    );
    expect(() => parseItemKey(Infinity, 'addViewed(key)')).toThrow(WidgetInputError);
  });
});
