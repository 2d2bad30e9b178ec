/** GPU Linear with Q4_0 weights (dequantised in the shader): matvec_q.wgsl + quant_blocks.wgsl + matvec_q4_0.wgsl. */
import body from './matvec_q.wgsl?raw';
import blocks from './quant_blocks.wgsl?raw';
import entry from './matvec_q4_0.wgsl?raw';
import { kernelSpec } from './spec.ts';

/** The Q4_0 kernel: x, w (blocks as u32), bias, residual, out, params (see ./matvec_q.ts). */
export const MATVEC_Q4_0_KERNEL = kernelSpec('matvec_q4_0', `${body}\n${blocks}\n${entry}`, [
  'read',
  'read',
  'read',
  'read',
  'write',
  'uniform',
]);
