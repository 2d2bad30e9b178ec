/**
 * The adapter's own memory ceiling for bench:llm: a WGSL copy kernel (one vec4 per invocation)
 * moving a large buffer; bytes per second counts the read and the write.
 */

import { median } from './stats.ts';

const COPY_WGSL = /* wgsl */ `
@group(0) @binding(0) var<storage, read> src: array<vec4<f32>>; // [n]
@group(0) @binding(1) var<storage, read_write> dst: array<vec4<f32>>; // [n]

@compute @workgroup_size(256)
fn copy(@builtin(global_invocation_id) id: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let i = id.x + id.y * groups.x * 256u;
  if (i < arrayLength(&src)) { dst[i] = src[i]; }
}`;

/** Median copy bandwidth (bytes/s) over `repeats` timed batches of `perBatch` dispatches. */
export async function copyBandwidth(
  device: GPUDevice,
  now: () => number,
  bytes = 32 << 20,
  perBatch = 8,
  repeats = 5,
): Promise<number> {
  const vec4s = bytes / 16;
  const usage = GPUBufferUsage.STORAGE;
  const src = device.createBuffer({ size: bytes, usage }); // [vec4s] vec4<f32>
  const dst = device.createBuffer({ size: bytes, usage }); // [vec4s] vec4<f32>
  const layout = device.createBindGroupLayout({
    entries: [
      { binding: 0, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'read-only-storage' } },
      { binding: 1, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'storage' } },
    ],
  });
  const pipeline = device.createComputePipeline({
    layout: device.createPipelineLayout({ bindGroupLayouts: [layout] }),
    compute: { module: device.createShaderModule({ code: COPY_WGSL }), entryPoint: 'copy' },
  });
  const group = device.createBindGroup({
    layout,
    entries: [
      { binding: 0, resource: { buffer: src } },
      { binding: 1, resource: { buffer: dst } },
    ],
  });
  const groups = Math.ceil(vec4s / 256);
  const x = Math.min(groups, device.limits.maxComputeWorkgroupsPerDimension);
  const batch = async () => {
    const encoder = device.createCommandEncoder();
    for (let i = 0; i < perBatch; i++) {
      const pass = encoder.beginComputePass();
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, group);
      pass.dispatchWorkgroups(x, Math.ceil(groups / x));
      pass.end();
    }
    device.queue.submit([encoder.finish()]);
    await device.queue.onSubmittedWorkDone();
  };
  await batch(); // warm-up (pipeline compile, first touch)
  const rates: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const started = now();
    await batch();
    rates.push((2 * bytes * perBatch * 1000) / (now() - started));
  }
  src.destroy();
  dst.destroy();
  return median(rates);
}
