/** Building kernel specs from WGSL sources: common helpers are prepended to every kernel. */
import common from './common.wgsl?raw';
import type { BindingKind, KernelSpec } from '../pipeline-cache.ts';

/** A kernel spec whose entry point is `name`; the last binding is the `Params` uniform. */
export function kernelSpec(name: string, source: string, bindings: readonly BindingKind[]): KernelSpec {
  return { name, code: `${common}\n${source}`, bindings };
}

/** Largest workgroup count per grid dimension guaranteed by WebGPU. */
export const MAX_GROUPS_PER_DIM = 65535;

/** A 2-D grid of at least `groups` workgroups (x ≤ 65535), for `flat_index` / `flat_group`. */
export function grid(groups: number): [number, number] {
  if (groups <= MAX_GROUPS_PER_DIM) return [Math.max(groups, 1), 1];
  return [MAX_GROUPS_PER_DIM, Math.ceil(groups / MAX_GROUPS_PER_DIM)];
}
