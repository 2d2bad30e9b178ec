/**
 * A pool of Float32Arrays by length, so a forward pass that releases its intermediates reuses
 * their storage instead of allocating (and later collecting) fresh arrays every request.
 * Arrays handed out by `take` hold whatever their previous user left: writers must fill them.
 */

/** Most arrays kept per length (a forward pass needs a handful of each shape). */
const KEEP_PER_LENGTH = 16;

/** Float32Array storage recycled by exact length. */
export class Float32ArrayPool {
  readonly #free = new Map<number, Float32Array[]>(); // length → arrays [length]

  /** An array of `length` values with unspecified contents. */
  take(length: number): Float32Array {
    return this.#free.get(length)?.pop() ?? new Float32Array(length); // [length]
  }

  /** Give `array` back; the caller must not touch it afterwards. */
  give(array: Float32Array): void {
    if (array.length === 0) return;
    let list = this.#free.get(array.length);
    if (!list) this.#free.set(array.length, (list = []));
    if (list.length < KEEP_PER_LENGTH) list.push(array);
  }

  /** Number of arrays waiting for reuse (for tests). */
  get size(): number {
    let total = 0;
    for (const list of this.#free.values()) total += list.length;
    return total;
  }

  /** Drop every pooled array (e.g. after disposing a model). */
  clear(): void {
    this.#free.clear();
  }
}
