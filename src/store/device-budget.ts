/**
 * How much this device can hold for a language model: the WebGPU adapter's maxBufferSize (asked
 * without creating a device) and a memory budget of half the reported device memory (4 GiB assumed
 * when the browser does not say; `navigator.deviceMemory` is capped at 8 by browsers).
 */
import type { DeviceBudget } from './gguf-check.ts';

const GIB = 1024 ** 3;

/** The budget of this browser; `gpu` is navigator.gpu when present. */
export async function deviceBudget(
  gpu: GPU | undefined,
  deviceMemoryGiB: number | undefined,
): Promise<DeviceBudget> {
  const totalBytes = ((deviceMemoryGiB ?? 4) * GIB) / 2;
  try {
    const adapter = await gpu?.requestAdapter();
    if (adapter) return { totalBytes, maxBufferSize: adapter.limits.maxBufferSize };
  } catch {
    // no adapter: the CPU budget alone
  }
  return { totalBytes };
}
