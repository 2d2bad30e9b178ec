/** GpuOps behaviour beyond single kernels: copies, reuse after release, lazy submission, errors. */
import { describe, expect, it } from 'vitest';
import { adapterName, gpuOps as ops, noGpu } from './support.ts';
import { CpuOps } from '../../src/gpu/cpu-ops.ts';
import { ReleasedTensorError, ShapeError } from '../../src/gpu/shapes.ts';
import { BindingTooLargeError } from '../../src/gpu/buffers.ts';
import { GpuOps } from '../../src/gpu/gpu-ops.ts';
import { DeviceLostError, acquireDevice } from '../../src/gpu/device.ts';
import { nodeWebGpu } from '../helpers/webgpu-node.ts';

const f32 = (values: number[]) => Float32Array.from(values);

describe.skipIf(noGpu)(`GpuOps (${adapterName})`, () => {
  it('writes rows into a cache in place and slices them out (KV-cache path)', async () => {
    const cache = ops.zeros([4, 3]); // [4, 3]
    ops.writeRows(cache, 1, ops.upload(f32([1, 2, 3, 4, 5, 6]), [2, 3]));
    ops.writeRows(cache, 3, ops.upload(f32([7, 8, 9]), [1, 3]));
    expect(Array.from(await ops.read(cache))).toEqual([0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(Array.from(await ops.read(ops.sliceRows(cache, 2, 2)))).toEqual([4, 5, 6, 7, 8, 9]);
  });

  it('zeros() clears a reused buffer', async () => {
    const dirty = ops.upload(new Float32Array(64).fill(5), [64]);
    await ops.read(dirty); // submit, so the release below becomes reusable at once
    ops.release(dirty);
    ops.flush();
    const zeros = ops.zeros([64]);
    expect(zeros.buffer).toBe(dirty.buffer);
    expect(Array.from(await ops.read(zeros))).toEqual(new Array(64).fill(0));
  });

  it('an upload never overwrites a released buffer that unsubmitted work still reads', async () => {
    const a = ops.upload(f32([1, 2, 3]), [3]);
    const sum = ops.add(a, a); // recorded, not submitted
    ops.release(a);
    const b = ops.upload(f32([100, 100, 100]), [3]); // must not land in a's buffer
    expect(b.buffer).not.toBe(a.buffer);
    expect(Array.from(await ops.read(sum))).toEqual([2, 4, 6]);
    expect(Array.from(await ops.read(b))).toEqual([100, 100, 100]);
  });

  it('chains many ops in one submission and matches CpuOps', async () => {
    const cpu = new CpuOps();
    const run = async <T extends { shape: readonly number[] }>(o: {
      upload(d: Float32Array, s: readonly number[]): T;
      linear(x: T, w: T, b: T | null, opts?: { relu?: boolean; residual?: T }): T;
      add(a: T, b: T): T;
      read(x: T): Promise<Float32Array>;
    }) => {
      let x = o.upload(f32([0.5, -1, 2, 0.25, 1, -0.5]), [2, 3]);
      const w = o.upload(f32([1, 0.5, -0.25, 0, 1, 1, -1, 0, 0.5]), [3, 3]);
      for (let i = 0; i < 5; i++) x = o.add(o.linear(x, w, null, { relu: i % 2 === 0, residual: x }), x);
      return o.read(x);
    };
    expect(Array.from(await run(ops))).toEqual(Array.from(await run(cpu)));
  });

  it('rejects bad shapes like CpuOps and use after release with ReleasedTensorError', () => {
    const x = ops.zeros([2, 3]);
    expect(() => ops.linear(x, ops.zeros([4, 2]), null)).toThrow(ShapeError);
    expect(() => ops.embed(x, Int32Array.from([-1]), 1, null, 0)).toThrow(/outside the table/);
    const released = ops.zeros([1]);
    ops.release(released);
    expect(() => ops.add(released, released)).toThrow(ReleasedTensorError);
  });

  it('rejects one tensor larger than the binding limit with BindingTooLargeError', () => {
    const limit = ops.context.limits.maxStorageBufferBindingSize;
    expect(() => ops.zeros([Math.floor(limit / 4) + 1], 'huge')).toThrow(BindingTooLargeError);
  });

  it('top-k reads scores [n] after recorded work (lazy submit)', async () => {
    const a = ops.upload(f32([1, 5, 2, 4]), [1, 4]);
    const scores = ops.add(a, a);
    const top = await ops.topK(scores, 2, new Int32Array(0));
    expect(Array.from(top.ids)).toEqual([1, 3]);
    expect(Array.from(top.scores)).toEqual([10, 8]);
  });
});

describe.skipIf(noGpu)(`GpuOps after device loss (${adapterName})`, () => {
  it('throws DeviceLostError from every op once the device is gone', async () => {
    const probe = await nodeWebGpu();
    if (!probe.ok) throw new Error(probe.reason);
    const own = new GpuOps(
      await acquireDevice(probe.value.gpu, { adapterOptions: probe.value.adapterOptions }),
    );
    const x = own.upload(f32([1, 2]), [2]);
    expect(Array.from(await own.read(own.add(x, x)))).toEqual([2, 4]);
    own.destroy();
    await own.context.lost;
    expect(own.lostError).toBeInstanceOf(DeviceLostError);
    expect(() => own.add(x, x)).toThrow(DeviceLostError);
    await expect(own.read(x)).rejects.toThrow(DeviceLostError);
  });
});
