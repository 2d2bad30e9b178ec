/**
 * Acquiring a WebGPU adapter and device from a given `GPU` object: `navigator.gpu` in a page or a
 * worker, Dawn's in Node (test/helpers/webgpu-node.ts). Asks for the adapter's own storage-binding
 * and buffer-size limits (defaults are far lower) and for `shader-f16` when the adapter has it.
 */
import { LocalRecError } from '../protocol/errors.ts';

/** WebGPU cannot be used here: no `navigator.gpu`, no adapter, or the device request failed. */
export class WebGpuUnavailableError extends Error {
  override readonly name = 'WebGpuUnavailableError';
}

/** Why a device was lost: `'destroyed'` when our own code destroyed it, otherwise `'unknown'`. */
export interface DeviceLossDetails {
  reason: GPUDeviceLostReason;
}

/**
 * The device was lost (driver reset, out of memory, or `destroy()`); recreate it to continue.
 * The constructor takes a finished message (so the class can be rebuilt from the wire on the page);
 * `DeviceLostError.fromLoss` builds the engine's own message from the browser's lost info.
 */
export class DeviceLostError extends LocalRecError {
  override readonly name = 'DeviceLostError';
  declare readonly details?: DeviceLossDetails;

  /** The error for a device the browser reports lost. */
  static fromLoss(reason: GPUDeviceLostReason, detail: string): DeviceLostError {
    return new DeviceLostError(
      `WebGPU device lost (${reason}): ${detail || 'no detail'}; acquire a new device or use the CPU backend`,
      { reason },
    );
  }

  /** `'destroyed'` when our own code destroyed the device, otherwise `'unknown'`. */
  get reason(): GPUDeviceLostReason {
    return this.details?.reason ?? 'unknown';
  }
}

/** The limits the kernels and the buffer pool size themselves by. */
export interface DeviceLimits {
  maxStorageBufferBindingSize: number;
  maxBufferSize: number;
  maxComputeInvocationsPerWorkgroup: number;
  maxComputeWorkgroupStorageSize: number;
  maxComputeWorkgroupsPerDimension: number;
}

/** A ready device plus what we learned about it. */
export interface GpuContext {
  device: GPUDevice;
  limits: DeviceLimits;
  /** `shader-f16` was granted (never assumed by the f32 kernels). */
  shaderF16: boolean;
  /** Human-readable adapter name for reports, e.g. "llvmpipe (LLVM 19.1.7, 256 bits)". */
  description: string;
  /** Resolves when the device is lost, for any reason. */
  lost: Promise<DeviceLostError>;
}

/** Options of `acquireDevice`. */
export interface AcquireOptions {
  /** Passed to `requestAdapter`, e.g. `{ featureLevel: 'compatibility' }` for GLES routes. */
  adapterOptions?: GPURequestAdapterOptions;
  /** Called once if the device is lost for a reason other than our own `destroy()`. */
  onLost?: (error: DeviceLostError) => void;
}

/** Requests an adapter and a device with the adapter's full storage limits. */
export async function acquireDevice(
  gpu: GPU | undefined | null,
  options: AcquireOptions = {},
): Promise<GpuContext> {
  if (!gpu)
    throw new WebGpuUnavailableError('WebGPU is not available here (no navigator.gpu); use the CPU backend');
  const adapter = await gpu.requestAdapter(options.adapterOptions);
  if (!adapter) throw new WebGpuUnavailableError('no WebGPU adapter was offered; use the CPU backend');
  const shaderF16 = adapter.features.has('shader-f16');
  let device: GPUDevice;
  try {
    device = await adapter.requestDevice({
      requiredFeatures: shaderF16 ? ['shader-f16'] : [],
      requiredLimits: {
        maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
        maxBufferSize: adapter.limits.maxBufferSize,
        maxComputeInvocationsPerWorkgroup: adapter.limits.maxComputeInvocationsPerWorkgroup,
        maxComputeWorkgroupSizeX: adapter.limits.maxComputeWorkgroupSizeX,
      },
    });
  } catch (error) {
    throw new WebGpuUnavailableError(
      `the WebGPU device request failed: ${String(error)}; use the CPU backend`,
    );
  }
  const lost = device.lost.then((info) => {
    const error = DeviceLostError.fromLoss(info.reason, info.message);
    if (info.reason !== 'destroyed') options.onLost?.(error);
    return error;
  });
  const l = device.limits;
  return {
    device,
    limits: {
      maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
      maxBufferSize: l.maxBufferSize,
      maxComputeInvocationsPerWorkgroup: l.maxComputeInvocationsPerWorkgroup,
      maxComputeWorkgroupStorageSize: l.maxComputeWorkgroupStorageSize,
      maxComputeWorkgroupsPerDimension: l.maxComputeWorkgroupsPerDimension,
    },
    shaderF16,
    description: adapter.info.description || adapter.info.vendor || 'unknown adapter',
    lost,
  };
}
