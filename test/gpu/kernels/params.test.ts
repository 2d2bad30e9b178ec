import { describe, expect, it } from 'vitest';
import {
  packParams,
  paramsByteSize,
  ParamRangeError,
  type ParamLayout,
} from '../../../src/gpu/kernels/params.ts';
import { EMBED_KERNEL, EMBED_PARAMS } from '../../../src/gpu/kernels/embed.ts';
import { ADD_KERNEL, ADD_PARAMS } from '../../../src/gpu/kernels/add.ts';
import {
  LAYER_NORM_KERNEL,
  LAYER_NORM_PARAMS,
  LAYER_NORM_ROWS_KERNEL,
} from '../../../src/gpu/kernels/layer_norm.ts';
import { LINEAR_KERNEL, LINEAR_PARAMS } from '../../../src/gpu/kernels/linear.ts';
import {
  ATTENTION_KERNEL,
  ATTENTION_PARAMS,
  ATTENTION_PREFILL_KERNEL,
} from '../../../src/gpu/kernels/attention.ts';
import { TOP_K_KERNEL, TOP_K_PARAMS } from '../../../src/gpu/kernels/top_k.ts';
import { ShaderCompileError, type KernelSpec } from '../../../src/gpu/pipeline-cache.ts';
import { adapterName, gpuOps, noGpu } from '../support.ts';
import { ROPE_KERNEL, ROPE_PARAMS } from '../../../src/gpu/kernels/rope.ts';
import { QKV_KERNEL, QKV_PARAMS } from '../../../src/gpu/kernels/qkv.ts';

/** Fields of `struct Params` parsed from WGSL source: [[name, type], …]. */
function wgslParams(code: string): [string, string][] {
  const body = /struct Params\s*\{([^}]*)\}/.exec(code)?.[1] ?? '';
  return [...body.matchAll(/(\w+)\s*:\s*(\w+)\s*,/g)].map((m) => [m[1], m[2]]);
}

/** Binding kinds parsed from WGSL `@binding(i) var<…>` declarations, in binding order. */
function wgslBindings(code: string): string[] {
  return [...code.matchAll(/@binding\((\d+)\)\s*var<([\w, ]+)>/g)]
    .sort((a, b) => Number(a[1]) - Number(b[1]))
    .map((m) => (m[2] === 'uniform' ? 'uniform' : m[2].includes('read_write') ? 'write' : 'read'));
}

const kernels: [KernelSpec, ParamLayout, number][] = [
  // [kernel, TS layout, hand-counted WGSL struct size in bytes]
  [EMBED_KERNEL, EMBED_PARAMS, 32], // 5 scalars = 20 → 32
  [ADD_KERNEL, ADD_PARAMS, 16], // 1 scalar = 4 → 16
  [LAYER_NORM_KERNEL, LAYER_NORM_PARAMS, 16], // 4 scalars
  [LAYER_NORM_ROWS_KERNEL, LAYER_NORM_PARAMS, 16],
  [LINEAR_KERNEL, LINEAR_PARAMS, 32], // 6 scalars = 24 → 32
  [ATTENTION_KERNEL, ATTENTION_PARAMS, 32], // 7 scalars = 28 → 32
  [ATTENTION_PREFILL_KERNEL, ATTENTION_PARAMS, 32],
  [TOP_K_KERNEL, TOP_K_PARAMS, 32], // 6 scalars = 24 → 32
  [ROPE_KERNEL, ROPE_PARAMS, 32], // 7 scalars = 28 → 32
  [QKV_KERNEL, QKV_PARAMS, 64], // 13 scalars = 52 → 64
];

describe('kernel params mirror their WGSL structs', () => {
  it.each(kernels.map((entry) => [entry[0].name, ...entry] as const))(
    '%s: same fields, types, size and bindings',
    (_name, spec, layout, bytes) => {
      expect(wgslParams(spec.code)).toEqual(layout.map(([n, t]) => [n, t]));
      expect(paramsByteSize(layout)).toBe(bytes);
      const zeros = Object.fromEntries(layout.map(([n]) => [n, 0]));
      expect(packParams(layout, zeros).byteLength).toBe(bytes);
      expect(wgslBindings(spec.code)).toEqual(spec.bindings);
      expect(spec.code).toContain(`fn ${spec.name}(`);
    },
  );

  it('packs values little-endian in field order and rejects out-of-range integers', () => {
    const bytes = packParams(EMBED_PARAMS, { n: 3, d: 50, pos_start: 7, has_pos: 1, scale: 0.5 });
    const view = new DataView(bytes);
    expect([0, 4, 8, 12].map((o) => view.getUint32(o, true))).toEqual([3, 50, 7, 1]);
    expect(view.getFloat32(16, true)).toBe(0.5);
    expect(() => packParams(ADD_PARAMS, { size: -1 })).toThrow(ParamRangeError);
    expect(() => packParams(ADD_PARAMS, { size: 1.5 })).toThrow(/does not fit u32/);
  });
});

describe.skipIf(noGpu)(`every kernel compiles on ${adapterName}`, () => {
  it.each(kernels.map(([spec]) => [spec.name, spec] as const))('%s', async (_name, spec) => {
    await gpuOps.pipelines.check(spec);
  });
  it('a broken kernel fails with ShaderCompileError naming the line', async () => {
    const broken = { name: 'broken', code: 'fn broken() -> u32 { return active; }', bindings: [] };
    await expect(gpuOps.pipelines.check(broken)).rejects.toThrow(ShaderCompileError);
    await expect(gpuOps.pipelines.check(broken)).rejects.toThrow(
      /kernel "broken" does not compile:\n {2}line 1:/,
    );
  });
});
