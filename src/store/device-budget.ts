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

/** The budget of the current browser (navigator.gpu and navigator.deviceMemory where it reports them). */
export function browserDeviceBudget(): Promise<DeviceBudget> {
  const memory = (navigator as Navigator & { deviceMemory?: unknown }).deviceMemory;
  const gpu = 'gpu' in navigator ? navigator.gpu : undefined;
  return deviceBudget(gpu, typeof memory === 'number' ? memory : undefined);
}
