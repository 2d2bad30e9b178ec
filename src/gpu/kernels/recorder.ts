/**
 * Records kernel dispatches and buffer copies into one command encoder and submits lazily (at
 * `flush`, which read-backs call). Kernel params of one submit go to one uniform arena written
 * right before the submit (every dispatch binds its own slot by dynamic offset); bind groups are
 * cached across submits (see dispatch-state.ts).
 */
import type { BufferPool } from '../buffers.ts';
import type { KernelSpec, PipelineCache } from '../pipeline-cache.ts';
import { BindGroupCache, ParamArena, type BufferRange } from './dispatch-state.ts';

export type { BufferRange } from './dispatch-state.ts';

/** Counts of what recording cost so far (for profiles and tests). */
export interface RecorderStats {
  dispatches: number;
  /** bind groups created (the rest of the dispatches reused a cached one) */
  bindGroupsCreated: number;
  /** command buffers submitted (each with at most one params upload) */
  submits: number;
}

/** The recording state shared by all kernels of one `GpuOps`. */
export class Recorder {
  #encoder: GPUCommandEncoder | null = null;
  #pass: GPUComputePassEncoder | null = null;
  readonly #params: ParamArena;
  readonly #bindGroups: BindGroupCache;
  #dispatches = 0;
  #submits = 0;

  constructor(
    readonly device: GPUDevice,
    readonly pool: BufferPool,
    readonly pipelines: PipelineCache,
  ) {
    this.#params = new ParamArena(device, device.limits.minUniformBufferOffsetAlignment);
    this.#bindGroups = new BindGroupCache(device);
  }

  /** What was recorded so far. */
  stats(): RecorderStats {
    return {
      dispatches: this.#dispatches,
      bindGroupsCreated: this.#bindGroups.created,
      submits: this.#submits,
    };
  }

  #encoderOpen(): GPUCommandEncoder {
    this.#encoder ??= this.device.createCommandEncoder({ label: 'localrec ops' });
    return this.#encoder;
  }

  #endPass(): void {
    this.#pass?.end();
    this.#pass = null;
  }

  /**
   * Records one dispatch of `spec`: `buffers` bind to 0..n-1 in order, `params` (a packed
   * `struct Params`) to binding n; `groups` is the workgroup grid.
   */
  dispatch(
    spec: KernelSpec,
    overrides: Readonly<Record<string, number>>,
    buffers: readonly BufferRange[],
    params: ArrayBuffer,
    groups: readonly [number, number?, number?],
  ): void {
    if (spec.bindings.length !== buffers.length + 1) {
      throw new Error(
        `kernel ${spec.name}: ${spec.bindings.length} bindings declared, ${buffers.length + 1} given`,
      );
    }
    const { pipeline, layout } = this.pipelines.get(spec, overrides);
    if (this.#params.full) this.flush();
    const offset = this.#params.push(params);
    const ranges = buffers.map((range) => ({ buffer: range.buffer, size: Math.max(range.size, 16) }));
    ranges.push({ buffer: this.#params.buffer, size: params.byteLength }); // bound at `offset`
    const bindGroup = this.#bindGroups.get(spec.name, layout, ranges);
    this.#pass ??= this.#encoderOpen().beginComputePass({ label: 'localrec kernels' });
    this.#pass.setPipeline(pipeline);
    this.#pass.setBindGroup(0, bindGroup, [offset]);
    this.#dispatches++;
    this.#pass.dispatchWorkgroups(groups[0], groups[1] ?? 1, groups[2] ?? 1);
  }

  /** Records a buffer-to-buffer copy (byte offsets and size multiples of 4). */
  copy(src: GPUBuffer, srcOffset: number, dst: GPUBuffer, dstOffset: number, size: number): void {
    if (size === 0) return;
    this.#endPass();
    this.#encoderOpen().copyBufferToBuffer(src, srcOffset, dst, dstOffset, size);
  }

  /** Queues a host → GPU write of `data` at offset 0 (ordered before the next submit). */
  write(buffer: GPUBuffer, data: Float32Array | Int32Array): void {
    if (data.byteLength === 0) return;
    // TS 5.9 types typed arrays over ArrayBufferLike; WebGPU accepts any ArrayBufferView here.
    this.device.queue.writeBuffer(buffer, 0, data as ArrayBufferView<ArrayBuffer>);
  }

  /** Records zero-filling of the first `size` bytes of `buffer` (a multiple of 4). */
  clear(buffer: GPUBuffer, size: number): void {
    if (size === 0) return;
    this.#endPass();
    this.#encoderOpen().clearBuffer(buffer, 0, size);
  }

  /** Submits everything recorded so far (no-op when nothing is pending). */
  flush(): void {
    this.#endPass();
    if (this.#encoder) {
      this.#params.upload(this.device.queue);
      this.device.queue.submit([this.#encoder.finish()]);
      this.#submits++;
      this.#encoder = null;
    }
    this.pool.recycle();
  }

  /** Copies `size` bytes of `src` to the host after all recorded work. */
  async readBack(src: GPUBuffer, size: number): Promise<ArrayBuffer> {
    const staging = this.pool.acquire(size, 'staging', 'read-back');
    this.copy(src, 0, staging, 0, size);
    this.flush();
    await staging.mapAsync(GPUMapMode.READ, 0, size);
    const bytes = staging.getMappedRange(0, size).slice(0);
    staging.unmap();
    this.pool.release(staging);
    this.pool.recycle();
    return bytes;
  }
}
