/**
 * Parsing of `<local-rec>` attributes. Absurd values are clamped or replaced by the default and
 * come with a note that the element logs (console.warn) and shows inside the widget.
 */

/** Colour scheme of the widget. */
export type Theme = 'light' | 'dark';

/** A parsed attribute and, when the raw value was not usable as given, why. */
export interface ParsedAttribute<T> {
  value: T;
  note?: string;
}

/** `count` bounds: at least one item, at most what one ranking request returns. */
export const COUNT_MIN = 1;
export const COUNT_MAX = 50;
export const COUNT_DEFAULT = 5;

/** `count="…"`: a whole number of items to show, clamped to [COUNT_MIN, COUNT_MAX]. */
export function parseCount(raw: string | null): ParsedAttribute<number> {
  if (raw === null || raw.trim() === '') return { value: COUNT_DEFAULT };
  const value = Number(raw.trim());
  if (!Number.isFinite(value) || !Number.isInteger(value)) {
    return {
      value: COUNT_DEFAULT,
      note: `count="${raw}" is not a whole number; showing ${COUNT_DEFAULT} items.`,
    };
  }
  if (value < COUNT_MIN)
    return { value: COUNT_MIN, note: `count="${raw}" is below ${COUNT_MIN}; showing ${COUNT_MIN} item.` };
  if (value > COUNT_MAX)
    return { value: COUNT_MAX, note: `count="${raw}" is above ${COUNT_MAX}; showing ${COUNT_MAX} items.` };
  return { value };
}

/** `theme="light|dark"`; anything else falls back to light with a note. */
export function parseTheme(raw: string | null): ParsedAttribute<Theme> {
  if (raw === null || raw === '' || raw === 'light') return { value: 'light' };
  if (raw === 'dark') return { value: 'dark' };
  return { value: 'light', note: `theme="${raw}" is not "light" or "dark"; using light.` };
}
