/**
 * A size-bucketed GPU buffer pool. Buffers given back are held "pending" until `recycle()` is
 * called after the command buffer that may still use them was submitted, so queue writes
 * (`writeBuffer` of an upload or of kernel params) can never clobber data that unsubmitted
 * commands still read. Sizes are rounded up to classes of at most 12.5 % waste.
 */

/** One binding would exceed the adapter's `maxStorageBufferBindingSize`. */
export class BindingTooLargeError extends Error {
  override readonly name = 'BindingTooLargeError';
}

/** Smallest buffer handed out, in bytes. */
export const MIN_BUFFER_BYTES = 256;

/** Rounds `bytes` up to its size class: powers of two split into 8 steps, at least 256 bytes. */
export function sizeClass(bytes: number): number {
  if (bytes <= MIN_BUFFER_BYTES) return MIN_BUFFER_BYTES;
  const power = 2 ** Math.ceil(Math.log2(bytes));
  const step = power / 8;
  return Math.ceil(bytes / step) * step;
}

/**
 * Buffer usages the pool serves: storage tensors and read-back staging. (Kernel params live in the
 * recorder's own uniform arena, kernels/dispatch-state.ts.)
 */
export const POOL_USAGE = {
  storage: usageFlags('STORAGE', 'COPY_SRC', 'COPY_DST'),
  staging: usageFlags('MAP_READ', 'COPY_DST'),
} as const;

/** Which kind of buffer to take from the pool. */
export type PoolUsage = keyof typeof POOL_USAGE;

function usageFlags(...flags: (keyof GPUBufferUsage)[]): () => number {
  // Resolved lazily: in Node, GPUBufferUsage exists only after the Dawn globals are installed.
  return () => flags.reduce((usage, flag) => usage | (GPUBufferUsage[flag] as number), 0);
}

/** Counts for tests and memory reports. */
export interface PoolStats {
  /** Buffers created so far and not destroyed. */
  live: number;
  /** Bytes of all live buffers. */
  liveBytes: number;
  /** Buffers ready for reuse. */
  free: number;
}

/** Reuses GPU buffers by (usage, size class). */
export class BufferPool {
  readonly #free = new Map<string, GPUBuffer[]>();
  #pending: GPUBuffer[] = [];
  readonly #usageOf = new WeakMap<GPUBuffer, PoolUsage>();
  readonly #serialOf = new WeakMap<GPUBuffer, number>(); // creation order
  #created = 0;
  #live = 0;
  #liveBytes = 0;

  constructor(
    private readonly device: GPUDevice,
    /** The device's `maxStorageBufferBindingSize`. */
    readonly maxBindingBytes: number,
  ) {}

  /** A buffer of at least `bytes` bytes (its `size` may be larger: bind with an explicit size). */
  acquire(bytes: number, usage: PoolUsage = 'storage', label: string = usage): GPUBuffer {
    if (usage === 'storage' && bytes > this.maxBindingBytes) {
      throw new BindingTooLargeError(
        `"${label}" needs ${bytes} bytes in one binding but this adapter allows ${this.maxBindingBytes}; ` +
          'use a smaller model or an adapter with a larger maxStorageBufferBindingSize',
      );
    }
    const size = sizeClass(bytes);
    const reused = this.#free.get(`${usage}:${size}`)?.pop();
    if (reused) return reused;
    const buffer = this.device.createBuffer({ size, usage: POOL_USAGE[usage](), label });
    this.#usageOf.set(buffer, usage);
    this.#serialOf.set(buffer, this.#created++);
    this.#live++;
    this.#liveBytes += size;
    return buffer;
  }

  /** Gives a buffer back; it becomes reusable at the next `recycle()`. */
  release(buffer: GPUBuffer): void {
    this.#pending.push(buffer);
  }

  /**
   * Makes released buffers reusable; call right after submitting the commands that used them.
   * Each free list is kept in creation order (oldest handed out first), so a loop that acquires
   * the same sizes every step (a decode token) gets the same buffers every step, and its bind
   * groups can be reused.
   */
  recycle(): void {
    const touched = new Set<GPUBuffer[]>();
    for (const buffer of this.#pending) {
      const key = `${this.#usageOf.get(buffer)}:${buffer.size}`;
      const list = this.#free.get(key) ?? [];
      list.push(buffer);
      this.#free.set(key, list);
      touched.add(list);
    }
    const serial = (buffer: GPUBuffer) => this.#serialOf.get(buffer)!;
    for (const list of touched) list.sort((a, b) => serial(b) - serial(a)); // pop() = oldest
    this.#pending = [];
  }

  /** Destroys every free buffer (live tensors keep theirs). */
  trim(): void {
    for (const list of this.#free.values()) {
      for (const buffer of list) {
        this.#live--;
        this.#liveBytes -= buffer.size;
        buffer.destroy();
      }
    }
    this.#free.clear();
  }

  /** Current counts. */
  stats(): PoolStats {
    let free = 0;
    for (const list of this.#free.values()) free += list.length;
    return { live: this.#live, liveBytes: this.#liveBytes, free };
  }
}
