/**
 * The WebAssembly SIMD path of FastCpuOps: the hand-assembled module's encoding, the strided
 * matrix product, and linear / attention through it, against the plain-loop references.
 */
import { describe, expect, it } from 'vitest';
import { signedLeb, unsignedLeb } from '../../src/gpu/cpu-fast/wasm-encoding.ts';
import { gemmModuleBytes } from '../../src/gpu/cpu-fast/wasm-gemm.ts';
import { SimdGemm } from '../../src/gpu/cpu-fast/simd-gemm.ts';
import { linearInto } from '../../src/gpu/cpu-fast/linear.ts';
import { AttentionScratch } from '../../src/gpu/cpu-fast/attention.ts';
import { attentionSimdInto } from '../../src/gpu/cpu-fast/attention-simd.ts';
import { linearReference } from '../../src/gpu/reference/linear.ts';
import { attentionReference } from '../../src/gpu/reference/attention.ts';
import type { AttentionParams } from '../../src/gpu/ops.ts';
import { requireOrSkip } from '../helpers/require.ts';
import { seededRandom } from '../sasrec/random-model.ts';
import { expectAllClose, randomArray } from './support.ts';

const gemm = SimdGemm.create();
const noSimd = requireOrSkip(gemm !== null, 'this JavaScript engine has no WebAssembly SIMD');

describe('wasm encoding', () => {
  it('writes LEB128 numbers as in the spec examples', () => {
    expect(unsignedLeb(0)).toEqual([0]);
    expect(unsignedLeb(624485)).toEqual([0xe5, 0x8e, 0x26]);
    expect(signedLeb(-123456)).toEqual([0xc0, 0xbb, 0x78]);
    expect(signedLeb(64)).toEqual([0xc0, 0x00]); // bit 6 set: needs a second byte to stay positive
    expect(signedLeb(-1)).toEqual([0x7f]);
  });

  it('assembles a module that WebAssembly validates', () => {
    const bytes = gemmModuleBytes();
    expect(Array.from(bytes.subarray(0, 8))).toEqual([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);
    expect(noSimd || WebAssembly.validate(bytes)).toBe(true);
  });
});

describe.skipIf(noSimd)('SimdGemm.multiply vs linearReference', () => {
  const simd = gemm as SimdGemm;

  it.each([
    [1, 1, 1],
    [2, 3, 5],
    [3, 50, 7],
    [200, 50, 50],
    [33, 13, 250],
  ])('m=%i k=%i n=%i (dense views)', (m, k, n) => {
    const random = seededRandom(m * 7 + k * 11 + n);
    const x = randomArray(random, m * k); // [m, k]
    const w = randomArray(random, n * k); // [n, k]
    const out = new Float32Array(m * n).fill(NaN); // [m, n]
    simd.multiply(
      { data: x, offset: 0, stride: k },
      { data: w, offset: 0, stride: k },
      { data: out, offset: 0, stride: n },
      m,
      n,
      k,
    );
    expectAllClose(out, linearReference(x, w, m, k, n), 1e-5, 'gemm');
  });

  it('reads and writes strided views with offsets, touching nothing else', () => {
    const random = seededRandom(4);
    const [m, n, k] = [5, 6, 7];
    const a = randomArray(random, 3 + m * 10); // rows of 10, columns 3..9 used → [m, k]
    const b = randomArray(random, 1 + n * 9); // rows of 9 from offset 1 → [n, k]
    const out = new Float32Array(2 + m * 8).fill(-7); // rows of 8 from offset 2, 6 of 8 columns written
    simd.multiply(
      { data: a, offset: 3, stride: 10 },
      { data: b, offset: 1, stride: 9 },
      { data: out, offset: 2, stride: 8 },
      m,
      n,
      k,
    );
    const dense = (data: Float32Array, offset: number, stride: number, rows: number) =>
      Float32Array.from({ length: rows * k }, (_, i) => data[offset + Math.floor(i / k) * stride + (i % k)]);
    const want = linearReference(dense(a, 3, 10, m), dense(b, 1, 9, n), m, k, n); // [m, n]
    for (let i = 0; i < m; i++) {
      expectAllClose(
        out.subarray(2 + i * 8, 2 + i * 8 + n),
        want.subarray(i * n, (i + 1) * n),
        1e-5,
        `row ${i}`,
      );
      expect(Array.from(out.subarray(2 + i * 8 + n, 2 + (i + 1) * 8))).toEqual([-7, -7]);
    }
    expect(Array.from(out.subarray(0, 2))).toEqual([-7, -7]);
  });

  it('grows its memory for a large product and stays correct afterwards', () => {
    const random = seededRandom(8);
    for (const [m, n, k] of [
      [300, 3418, 50],
      [4, 4, 4],
    ]) {
      const x = randomArray(random, m * k); // [m, k]
      const w = randomArray(random, n * k); // [n, k]
      const out = new Float32Array(m * n); // [m, n]
      simd.multiply(
        { data: x, offset: 0, stride: k },
        { data: w, offset: 0, stride: k },
        { data: out, offset: 0, stride: n },
        m,
        n,
        k,
      );
      expectAllClose(out, linearReference(x, w, m, k, n), 1e-5, `m=${m} n=${n}`);
    }
  });

  it('multiplies against resident copies, and forgets them on request', () => {
    const gemmForThis = SimdGemm.create() as SimdGemm; // its own memory: residents start empty
    const random = seededRandom(21);
    const [n, k] = [701, 50];
    const w1 = randomArray(random, n * k); // [n, k]
    const w2 = randomArray(random, 5 * 3); // [5, 3]
    const x = randomArray(random, k); // [1, k]
    const out = new Float32Array(n); // [1, n]
    const run = (w: Float32Array, rows: number, cols: number, what: string) => {
      gemmForThis.multiply(
        { data: x, offset: 0, stride: cols },
        { data: w, offset: 0, stride: cols },
        { data: out, offset: 0, stride: rows },
        1,
        rows,
        cols,
      );
      expectAllClose(
        out.subarray(0, rows),
        linearReference(x.subarray(0, cols), w, 1, cols, rows),
        1e-5,
        what,
      );
    };
    gemmForThis.keep(w1, n, k);
    gemmForThis.keep(w2, 5, 3);
    expect(gemmForThis.keeps(w1) && gemmForThis.keeps(w2)).toBe(true);
    run(w1, n, k, 'resident w1');
    run(w2, 5, 3, 'resident w2 (k not a multiple of 4)');
    gemmForThis.forget(w1);
    w1.fill(0.5); // changed after forget: the product must see the new values
    run(w1, n, k, 'w1 copied again after forget');
    run(w2, 5, 3, 'w2 still resident');
    gemmForThis.forget(w2);
    expect(gemmForThis.keeps(w2)).toBe(false);
    run(w2, 5, 3, 'w2 copied');
  });

  it('linearInto through SIMD applies bias, relu and residual like the reference', () => {
    const random = seededRandom(12);
    const [m, k, n] = [9, 50, 50];
    const x = randomArray(random, m * k); // [m, k]
    const w = randomArray(random, n * k); // [n, k]
    const bias = randomArray(random, n); // [n]
    const residual = randomArray(random, m * n); // [m, n]
    for (const relu of [false, true]) {
      const out = new Float32Array(m * n).fill(NaN); // [m, n]
      linearInto(out, x, w, m, k, n, { bias, relu, residual }, simd);
      expectAllClose(out, linearReference(x, w, m, k, n, { bias, relu, residual }), 1e-5, `relu ${relu}`);
    }
  });
});

describe.skipIf(noSimd)('attentionSimdInto vs attentionReference', () => {
  const cases: [string, AttentionParams][] = [
    [
      'SASRec prefill 200×50 (7 blocks)',
      { queries: 200, keys: 200, heads: 1, kvHeads: 1, headDim: 50, queryStart: 0, scale: 1 / Math.sqrt(50) },
    ],
    [
      'extend by 37 after 100 cached rows',
      { queries: 37, keys: 137, heads: 1, kvHeads: 1, headDim: 50, queryStart: 100, scale: 0.2 },
    ],
    [
      'GQA 6/2 heads, headDim 5, padding rows',
      { queries: 5, keys: 11, heads: 6, kvHeads: 2, headDim: 5, queryStart: 3, scale: 0.45 },
    ],
    [
      'LLaMA-like 4 heads × 8, 70 queries',
      { queries: 70, keys: 70, heads: 4, kvHeads: 4, headDim: 8, queryStart: 0, scale: 0.35 },
    ],
  ];

  it.each(cases)('%s', (_, p) => {
    const random = seededRandom(p.keys * 13 + p.queries);
    const rows = p.keys + 2; // two padding rows that must not be read
    const q = randomArray(random, p.queries * p.heads * p.headDim, 2); // [queries, heads·headDim]
    const k = randomArray(random, rows * p.kvHeads * p.headDim, 2); // [rows, kvHeads·headDim]
    const v = randomArray(random, rows * p.kvHeads * p.headDim, 2); // [rows, kvHeads·headDim]
    k.fill(NaN, p.keys * p.kvHeads * p.headDim);
    v.fill(NaN, p.keys * p.kvHeads * p.headDim);
    const out = new Float32Array(q.length).fill(NaN); // [queries, heads·headDim]
    attentionSimdInto(out, q, k, v, p, new AttentionScratch(), gemm as SimdGemm);
    expectAllClose(out, attentionReference(q, k, v, p), 1e-5, 'attention');
  });
});
