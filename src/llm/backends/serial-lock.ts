/**
 * A first-come-first-served lock: a model with one KV cache runs one request at a time, and a
 * streaming generation holds the lock until its stream ends.
 */

/** Grants the lock to one holder at a time, in request order. */
export class SerialLock {
  #tail: Promise<void> = Promise.resolve();

  /** Waits for every earlier holder; resolves to the function that releases the lock (call once). */
  acquire(): Promise<() => void> {
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const previous = this.#tail;
    this.#tail = previous.then(() => mine);
    return previous.then(() => release);
  }

  /** Runs `work` while holding the lock. */
  async run<R>(work: () => Promise<R>): Promise<R> {
    const release = await this.acquire();
    try {
      return await work();
    } finally {
      release();
    }
  }
}
