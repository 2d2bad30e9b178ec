import { describe, it } from 'vitest';
import { adapterName, expectClose, gpuOps, noGpu, randomArray, seededRandom } from '../support.ts';
import { GpuOps } from '../../../src/gpu/gpu-ops.ts';
import { chooseAttentionKernel, type AttentionPath } from '../../../src/gpu/kernels/attention.ts';
import { attentionReference } from '../../../src/gpu/reference/attention.ts';
import type { AttentionParams } from '../../../src/gpu/ops.ts';

/** [label, params, rows held by the k/v buffers (≥ keys: the rest is padding)] */
const cases: [string, Omit<AttentionParams, 'scale'>, number][] = [
  ['1 query, 1 key', { queries: 1, keys: 1, heads: 1, kvHeads: 1, headDim: 1, queryStart: 0 }, 1],
  ['SASRec full, n=7', { queries: 7, keys: 7, heads: 1, kvHeads: 1, headDim: 50, queryStart: 0 }, 7],
  ['SASRec full, n=200', { queries: 200, keys: 200, heads: 1, kvHeads: 1, headDim: 50, queryStart: 0 }, 200],
  ['SASRec incremental', { queries: 1, keys: 131, heads: 1, kvHeads: 1, headDim: 50, queryStart: 130 }, 200],
  ['padding beyond keys', { queries: 5, keys: 3, heads: 2, kvHeads: 2, headDim: 7, queryStart: 0 }, 9],
  [
    'GQA 8/4 prefill with offset',
    { queries: 9, keys: 75, heads: 8, kvHeads: 4, headDim: 8, queryStart: 66 },
    80,
  ],
  [
    'GQA 4/1 decode, 300 keys',
    { queries: 1, keys: 300, heads: 4, kvHeads: 1, headDim: 64, queryStart: 299 },
    512,
  ],
  [
    'headDim 130 (3 dims per lane)',
    { queries: 3, keys: 3, heads: 2, kvHeads: 1, headDim: 130, queryStart: 0 },
    3,
  ],
  [
    'SASRec full, 2 heads, n=70',
    { queries: 70, keys: 70, heads: 2, kvHeads: 2, headDim: 25, queryStart: 0 },
    70,
  ],
  [
    'many queries past the keys',
    { queries: 20, keys: 12, heads: 1, kvHeads: 1, headDim: 3, queryStart: 0 },
    12,
  ],
  [
    'LLaMA-like head 128',
    { queries: 70, keys: 100, heads: 2, kvHeads: 1, headDim: 128, queryStart: 30 },
    100,
  ],
];

const paths: AttentionPath[] = ['core', 'prefill', 'auto'];

describe.skipIf(noGpu).each(paths)(`attention (%s kernel) on WebGPU (${adapterName})`, (path) => {
  const ops = noGpu ? gpuOps : new GpuOps(gpuOps.context, { attention: path });

  it.each(cases)('%s matches the reference', async (_label, shape, rows) => {
    const p: AttentionParams = { ...shape, scale: 1 / Math.sqrt(shape.headDim) };
    if (path !== 'auto' && chooseAttentionKernel(p, path) !== path) return; // head too large for prefill
    const random = seededRandom(rows * 131 + p.queries * 17 + p.heads);
    const qWidth = p.heads * p.headDim;
    const kvWidth = p.kvHeads * p.headDim;
    const q = randomArray(random, p.queries * qWidth, 2); // [queries, heads·headDim]
    const k = randomArray(random, rows * kvWidth, 2); // [rows, kvHeads·headDim]
    const v = randomArray(random, rows * kvWidth); // [rows, kvHeads·headDim]
    // Padding rows hold huge values: reading any of them would wreck the output.
    k.fill(1e4, p.keys * kvWidth);
    v.fill(1e4, p.keys * kvWidth);
    const out = ops.attention(
      ops.upload(q, [p.queries, qWidth]),
      ops.upload(k, [rows, kvWidth]),
      ops.upload(v, [rows, kvWidth]),
      p,
    );
    expectClose('attention', await ops.read(out), attentionReference(q, k, v, p), 2e-5, 1e-4);
  });
});
