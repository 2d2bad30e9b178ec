import { describe, expect, it } from 'vitest';
import { COUNT_DEFAULT, parseCount, parseTheme } from '../../src/widget/attributes.ts';

describe('<local-rec> attribute parsing', () => {
  it('accepts whole counts in range without a note', () => {
    expect(parseCount('1')).toEqual({ value: 1 });
    expect(parseCount(' 12 ')).toEqual({ value: 12 });
    expect(parseCount('50')).toEqual({ value: 50 });
    expect(parseCount(null)).toEqual({ value: COUNT_DEFAULT });
    expect(parseCount('')).toEqual({ value: COUNT_DEFAULT });
  });

  it('clamps absurd counts and says so', () => {
    expect(parseCount('0')).toEqual({ value: 1, note: 'count="0" is below 1; showing 1 item.' });
    expect(parseCount('-3')).toMatchObject({ value: 1 });
    expect(parseCount('1000000')).toEqual({
      value: 50,
      note: 'count="1000000" is above 50; showing 50 items.',
    });
    expect(parseCount('1e9')).toMatchObject({ value: 50 });
  });

  it('replaces non-numbers with the default and says so', () => {
    for (const raw of ['abc', '2.5', 'NaN', 'Infinity', '5 items']) {
      const parsed = parseCount(raw);
      expect(parsed.value).toBe(COUNT_DEFAULT);
      expect(parsed.note).toContain(`count="${raw}" is not a whole number`);
    }
  });

  it('parses the theme', () => {
    expect(parseTheme(null)).toEqual({ value: 'light' });
    expect(parseTheme('dark')).toEqual({ value: 'dark' });
    expect(parseTheme('neon')).toEqual({
      value: 'light',
      note: 'theme="neon" is not "light" or "dark"; using light.',
    });
  });
});
