/**
 * Shared support for the WebGPU kernel tests: one GpuOps per test file (skipped with a visible
 * reason when Node has no adapter, failing under CI=true), seeded random data, and comparisons
 * that print index / got / want.
 */
import { afterEach, expect } from 'vitest';
import { nodeGpuContext } from '../helpers/webgpu-node.ts';
import { requireOrSkip } from '../helpers/require.ts';
import { GpuOps } from '../../src/gpu/gpu-ops.ts';
import { seededRandom } from '../../src/eval/random.ts';

const probe = await nodeGpuContext();

/** True when the GPU tests must skip (prints why; throws under CI=true). */
export const noGpu = requireOrSkip(probe.ok, probe.ok ? '' : `WebGPU tests: ${probe.reason}`);

/** The GpuOps under test (only touch it inside tests guarded by `noGpu`). */
export const gpuOps: GpuOps = probe.ok ? new GpuOps(probe.context) : (null as unknown as GpuOps);

const gpuErrors: string[] = [];
if (probe.ok) {
  probe.context.device.addEventListener('uncapturederror', (event) => {
    gpuErrors.push((event as GPUUncapturedErrorEvent).error.message);
  });
}

// Validation errors would otherwise only be printed; make them fail the test that caused them.
afterEach(async () => {
  if (!probe.ok) return;
  await probe.context.device.queue.onSubmittedWorkDone();
  const errors = gpuErrors.splice(0);
  expect(errors, 'WebGPU uncaptured errors').toEqual([]);
});

/** Adapter description for messages, e.g. "vulkan: llvmpipe …". */
export const adapterName = probe.ok ? probe.backend : 'none';

/** Seeded uniform floats in [0, 1) (the project's one PRNG). */
export { seededRandom };

/** `size` seeded uniform values in [-range, range). */
export function randomArray(random: () => number, size: number, range = 1): Float32Array {
  return Float32Array.from({ length: size }, () => (random() * 2 - 1) * range); // [size]
}

/**
 * Asserts |got − want| ≤ abs + rel·|want| everywhere; on failure reports the worst index with its
 * got / want values and how many elements were out of tolerance.
 */
export function expectClose(what: string, got: Float32Array, want: Float32Array, abs: number, rel = 0): void {
  expect(got.length, `${what}: length`).toBe(want.length);
  let bad = 0;
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < want.length; i++) {
    const error = Math.abs(got[i] - want[i]);
    const excess = error - (abs + rel * Math.abs(want[i]));
    if (excess > 0 || Number.isNaN(got[i]) !== Number.isNaN(want[i])) {
      bad++;
      if (worst < 0 || excess > worstExcess) [worst, worstExcess] = [i, excess];
    }
  }
  if (bad > 0) {
    expect.fail(
      `${what}: ${bad}/${want.length} values out of tolerance (abs ${abs}, rel ${rel}); ` +
        `worst at index ${worst}: got ${got[worst]}, want ${want[worst]}`,
    );
  }
}
