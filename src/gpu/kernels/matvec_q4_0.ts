/** GPU Linear with Q4_0 weights (dequantised in the shader): matvec_q.wgsl + matvec_q4_0.wgsl. */
import body from './matvec_q.wgsl?raw';
import decoder from './matvec_q4_0.wgsl?raw';
import { kernelSpec } from './spec.ts';

/** The Q4_0 kernel: x, w (blocks as u32), bias, residual, out, params (see ./matvec_q.ts). */
export const MATVEC_Q4_0_KERNEL = kernelSpec('matvec_q4_0', `${body}\n${decoder}`, [
  'read',
  'read',
  'read',
  'read',
  'write',
  'uniform',
]);
