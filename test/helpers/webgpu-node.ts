/**
 * A WebGPU `GPU` object in Node through npm `webgpu` (Dawn), for the "gpu" vitest project and CLI
 * benchmarks. Tries Vulkan first (Mesa lavapipe: core WebGPU, f16), then OpenGL ES in
 * compatibility mode (llvmpipe through EGL surfaceless: no f16). LOCALREC_WEBGPU_BACKEND=vulkan |
 * opengles forces one route. The device itself comes from `acquireDevice` in src/gpu/device.ts.
 */
import { acquireDevice, type GpuContext } from '../../src/gpu/device.ts';

/** A Dawn route that produced an adapter. */
export interface NodeWebGpu {
  gpu: GPU;
  backend: 'vulkan' | 'opengles';
  /** Options to pass to requestAdapter on this route. */
  adapterOptions: GPURequestAdapterOptions;
  adapterDescription: string;
}

/** Result of probing: a GPU or the reason there is none. */
export type NodeWebGpuProbe = { ok: true; value: NodeWebGpu } | { ok: false; reason: string };

const ROUTES: {
  backend: NodeWebGpu['backend'];
  flags: string[];
  adapterOptions: GPURequestAdapterOptions;
}[] = [
  { backend: 'vulkan', flags: [], adapterOptions: {} },
  { backend: 'opengles', flags: ['backend=opengles'], adapterOptions: { featureLevel: 'compatibility' } },
];

let probe: Promise<NodeWebGpuProbe> | null = null;

async function probeRoutes(): Promise<NodeWebGpuProbe> {
  // EGL must know it is headless before dawn.node opens its first EGL display.
  process.env.EGL_PLATFORM ??= 'surfaceless';
  let dawn: typeof import('webgpu');
  try {
    dawn = await import('webgpu');
  } catch (error) {
    return { ok: false, reason: `npm package "webgpu" could not be loaded: ${String(error)}` };
  }
  Object.assign(globalThis, dawn.globals); // GPUBufferUsage, GPUMapMode, GPUShaderStage, …
  const forced = process.env.LOCALREC_WEBGPU_BACKEND;
  const tried: string[] = [];
  for (const route of ROUTES) {
    if (forced && forced !== route.backend) continue;
    const gpu = dawn.create(route.flags);
    const adapter = await gpu.requestAdapter(route.adapterOptions);
    if (adapter) {
      const adapterDescription = `${route.backend}: ${adapter.info.description || adapter.info.vendor}`;
      return {
        ok: true,
        value: { gpu, backend: route.backend, adapterOptions: route.adapterOptions, adapterDescription },
      };
    }
    tried.push(route.backend);
  }
  return {
    ok: false,
    reason:
      `no WebGPU adapter in Node (tried ${tried.join(', ') || 'nothing: LOCALREC_WEBGPU_BACKEND=' + forced}); ` +
      'install Mesa Vulkan drivers from bookworm-backports (see .ci/setup-system.sh) or libegl-mesa0',
  };
}

/** Probes the Dawn routes once per process and caches the answer. */
export function nodeWebGpu(): Promise<NodeWebGpuProbe> {
  probe ??= probeRoutes();
  return probe;
}

/** A device on the first working Dawn route, or the reason there is none. */
export type NodeGpuContext =
  { ok: true; context: GpuContext; backend: string } | { ok: false; reason: string };

/** Probes the routes and acquires a device through src/gpu/device.ts. */
export async function nodeGpuContext(): Promise<NodeGpuContext> {
  const probed = await nodeWebGpu();
  if (!probed.ok) return probed;
  const { gpu, adapterOptions, adapterDescription } = probed.value;
  const context = await acquireDevice(gpu, { adapterOptions });
  return { ok: true, context, backend: adapterDescription };
}
