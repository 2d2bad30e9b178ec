/**
 * What makes a recorded dispatch cheap to repeat: kernel params of one submit packed into one
 * uniform buffer (bound at dynamic offsets, written once per submit instead of once per dispatch),
 * and bind groups cached per (kernel layout, buffers) — a decode loop binds the same weights and
 * pooled activations every token, so after the first tokens it creates no bind group at all.
 */

/** A storage range bound to a kernel: `size` is the tensor's bytes (pooled buffers may be larger; at least 16 bytes are bound, pooled buffers have ≥ 256). */
export interface BufferRange {
  buffer: GPUBuffer;
  size: number;
}

/** A kernel's params were larger than one arena slot (a `struct Params` of more than 64 fields). */
export class ParamsTooLargeError extends Error {
  override readonly name = 'ParamsTooLargeError';
}

/** Slots per arena: a submit holding more dispatches is split (the recorder flushes when full). */
export const PARAM_ARENA_SLOTS = 1024;

/** Kernel params of the dispatches recorded since the last submit, in one uniform buffer. */
export class ParamArena {
  readonly buffer: GPUBuffer; // [slots × stride] bytes, one `struct Params` per slot
  readonly #host: Uint8Array<ArrayBuffer>; // [slots × stride] bytes, the image written at `upload`
  #used = 0;

  /** `stride` = the device's minUniformBufferOffsetAlignment (every slot starts aligned). */
  constructor(
    device: GPUDevice,
    readonly stride: number,
    readonly slots: number = PARAM_ARENA_SLOTS,
  ) {
    this.#host = new Uint8Array(stride * slots);
    this.buffer = device.createBuffer({
      label: 'kernel params arena',
      size: stride * slots,
      usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
    });
  }

  /** True when no slot is left (flush, then push). */
  get full(): boolean {
    return this.#used === this.slots;
  }

  /** Stores `params` in the next slot and returns its byte offset (the dynamic offset to bind). */
  push(params: ArrayBuffer): number {
    if (params.byteLength > this.stride) {
      throw new ParamsTooLargeError(
        `kernel params of ${params.byteLength} bytes exceed one ${this.stride}-byte slot; keep struct Params smaller`,
      );
    }
    if (this.full) throw new Error('ParamArena.push on a full arena: the recorder flushes first');
    const offset = this.#used * this.stride;
    this.#host.set(new Uint8Array(params), offset);
    this.#used++;
    return offset;
  }

  /**
   * Queues one write of the used slots and empties the arena. Call right before submitting the
   * commands that read them: queue writes run after earlier submits, so reuse is safe.
   */
  upload(queue: GPUQueue): void {
    if (this.#used === 0) return;
    queue.writeBuffer(this.buffer, 0, this.#host, 0, this.#used * this.stride);
    this.#used = 0;
  }
}

/** Cached entries before the cache starts over (bounds what it keeps alive). */
export const BIND_GROUP_CACHE_LIMIT = 4096;

/** Bind groups by (layout, buffer, bound size …); created on a miss. */
export class BindGroupCache {
  readonly #ids = new WeakMap<object, number>();
  #nextId = 0;
  readonly #groups = new Map<string, GPUBindGroup>();
  /** Bind groups created so far (misses). */
  created = 0;

  constructor(private readonly device: GPUDevice) {}

  #id(object: object): number {
    let id = this.#ids.get(object);
    if (id === undefined) {
      id = this.#nextId++;
      this.#ids.set(object, id);
    }
    return id;
  }

  /** The bind group binding `ranges` to 0..n-1 in order (`label` names it on a miss). */
  get(label: string, layout: GPUBindGroupLayout, ranges: readonly BufferRange[]): GPUBindGroup {
    let key = String(this.#id(layout));
    for (const range of ranges) key += `|${this.#id(range.buffer)}:${range.size}`;
    let group = this.#groups.get(key);
    if (!group) {
      if (this.#groups.size >= BIND_GROUP_CACHE_LIMIT) this.#groups.clear();
      const entries = ranges.map((range, binding) => ({
        binding,
        resource: { buffer: range.buffer, offset: 0, size: range.size },
      }));
      group = this.device.createBindGroup({ label, layout, entries });
      this.#groups.set(key, group);
      this.created++;
    }
    return group;
  }
}
