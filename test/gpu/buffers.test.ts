import { describe, expect, it } from 'vitest';
import {
  BindingTooLargeError,
  BufferPool,
  MIN_BUFFER_BYTES,
  POOL_USAGE,
  sizeClass,
} from '../../src/gpu/buffers.ts';

/** A stand-in device that records createBuffer calls (the pool logic needs nothing else). */
function fakeDevice(): { device: GPUDevice; created: GPUBufferDescriptor[] } {
  const created: GPUBufferDescriptor[] = [];
  const device = {
    createBuffer(descriptor: GPUBufferDescriptor) {
      created.push(descriptor);
      return { size: descriptor.size, destroy() {} } as GPUBuffer;
    },
  } as unknown as GPUDevice;
  return { device, created };
}

// Node has no GPUBufferUsage unless Dawn's globals are installed; the pool only ORs the flags.
globalThis.GPUBufferUsage ??= { STORAGE: 128, COPY_SRC: 4, COPY_DST: 8, UNIFORM: 64, MAP_READ: 1 } as never;

describe('sizeClass', () => {
  it('rounds up to 256 bytes, then to eighths of the next power of two', () => {
    expect(sizeClass(0)).toBe(MIN_BUFFER_BYTES);
    expect(sizeClass(256)).toBe(256);
    expect(sizeClass(257)).toBe(320); // 512 / 8 = 64-byte steps
    expect(sizeClass(1025)).toBe(1280); // 2048 / 8 = 256-byte steps
    expect(sizeClass(4096)).toBe(4096);
    for (let bytes = 1; bytes < 1e7; bytes = Math.ceil(bytes * 1.37)) {
      expect(sizeClass(bytes)).toBeGreaterThanOrEqual(bytes);
      expect(sizeClass(bytes)).toBeLessThanOrEqual(Math.max(MIN_BUFFER_BYTES, bytes * 1.25));
    }
  });
});

describe('BufferPool', () => {
  it('reuses a released buffer of the same class only after recycle()', () => {
    const { device, created } = fakeDevice();
    const pool = new BufferPool(device, 1 << 20);
    const a = pool.acquire(1000);
    pool.release(a);
    const b = pool.acquire(1000); // a is still pending: unsubmitted commands may read it
    expect(b).not.toBe(a);
    pool.recycle();
    expect(pool.acquire(900)).toBe(a); // same class (1024)
    expect(created.length).toBe(2);
  });

  it('hands free buffers out oldest first, whatever order they were released in', () => {
    const { device } = fakeDevice();
    const pool = new BufferPool(device, 1 << 20);
    const step = () => [pool.acquire(100), pool.acquire(200), pool.acquire(64)];
    const first = step();
    for (const buffer of [first[1], first[2], first[0]]) pool.release(buffer);
    pool.recycle();
    const second = step(); // what a decode loop does every token: the same buffers again
    expect(second).toEqual(first);
    for (const buffer of [second[2], second[0], second[1]]) pool.release(buffer);
    pool.recycle();
    expect(step()).toEqual(first);
  });

  it('keeps usages apart', () => {
    const { device, created } = fakeDevice();
    const pool = new BufferPool(device, 1 << 20);
    const storage = pool.acquire(64, 'storage');
    pool.release(storage);
    pool.recycle();
    expect(pool.acquire(64, 'staging')).not.toBe(storage);
    expect(pool.acquire(64, 'storage')).toBe(storage);
    expect(created.map((d) => d.usage)).toEqual([128 | 4 | 8, 1 | 8]);
  });

  it('serves storage and staging buffers only (kernel params have their own uniform arena)', () => {
    expect(Object.keys(POOL_USAGE)).toEqual(['storage', 'staging']);
  });

  it('rejects one binding larger than maxStorageBufferBindingSize with BindingTooLargeError', () => {
    const { device } = fakeDevice();
    const pool = new BufferPool(device, 4096);
    expect(() => pool.acquire(4097, 'storage', 'item_emb')).toThrow(BindingTooLargeError);
    expect(() => pool.acquire(4097, 'storage', 'item_emb')).toThrow(/"item_emb" needs 4097 bytes/);
    expect(() => pool.acquire(4096)).not.toThrow();
  });

  it('trim() destroys free buffers and stats() counts them', () => {
    const { device } = fakeDevice();
    const pool = new BufferPool(device, 1 << 20);
    const kept = pool.acquire(300);
    pool.release(pool.acquire(5000));
    pool.recycle();
    expect(pool.stats()).toEqual({ live: 2, liveBytes: kept.size + 5120, free: 1 });
    pool.trim();
    expect(pool.stats()).toEqual({ live: 1, liveBytes: kept.size, free: 0 });
  });
});
