/**
 * Key interning and ordering: original user/item keys are strings; the builder numbers them
 * densely in a deterministic order (integers numerically, then other keys by code unit order).
 */

const INTEGER = /^-?\d{1,15}$/;

/** Compare two keys: integer keys numerically and before non-integer keys, the rest by code units. */
export function compareKeys(a: string, b: string): number {
  const aInt = INTEGER.test(a);
  const bInt = INTEGER.test(b);
  if (aInt && bInt) return Number(a) - Number(b);
  if (aInt !== bInt) return aInt ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Assigns consecutive indices 0, 1, 2 … to distinct keys in first-seen order. */
export class KeyInterner {
  private readonly index = new Map<string, number>();
  /** keys by index; [count] */
  readonly keys: string[] = [];

  /** Index of `key`, adding it if new. */
  intern(key: string): number {
    let i = this.index.get(key);
    if (i === undefined) {
      i = this.keys.length;
      this.index.set(key, i);
      this.keys.push(key);
    }
    return i;
  }

  /** Index of `key`, or undefined when never seen. */
  get(key: string): number | undefined {
    return this.index.get(key);
  }

  get size(): number {
    return this.keys.length;
  }
}
