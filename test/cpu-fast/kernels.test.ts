/**
 * The fast CPU loops against the plain-loop oracles in src/gpu/reference, on seeded random inputs
 * whose sizes include 1, non-multiples of 4 and SASRec's d = 50.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { linearInto } from '../../src/gpu/cpu-fast/linear.ts';
import { AttentionScratch, attentionInto } from '../../src/gpu/cpu-fast/attention.ts';
import { addInto, embedInto, normInto } from '../../src/gpu/cpu-fast/rows.ts';
import { TopKScratch, topKFast } from '../../src/gpu/cpu-fast/top-k.ts';
import { linearReference } from '../../src/gpu/reference/linear.ts';
import { attentionReference } from '../../src/gpu/reference/attention.ts';
import { embedReference } from '../../src/gpu/reference/embed.ts';
import { layerNormReference, rmsNormReference } from '../../src/gpu/reference/norm.ts';
import { addReference } from '../../src/gpu/reference/elementwise.ts';
import { topKReference } from '../../src/gpu/reference/top-k.ts';
import type { AttentionParams } from '../../src/gpu/ops.ts';
import { seededRandom } from '../sasrec/random-model.ts';
import { expectAllClose, randomArray } from './support.ts';

/** An output array pre-filled with NaN, so a value the fast loop forgets to write shows up. */
function poisoned(size: number): Float32Array {
  return new Float32Array(size).fill(NaN); // [size]
}

describe('linearInto vs linearReference', () => {
  const shapes = [
    [1, 1, 1],
    [1, 50, 3417], // scoring: h [1, d] against the item table
    [3, 5, 7],
    [4, 50, 50],
    [5, 50, 50],
    [7, 13, 6],
    [200, 50, 50], // a full SASRec window
  ] as const;
  const epilogues = [
    { bias: false, relu: false, residual: false },
    { bias: true, relu: true, residual: false },
    { bias: true, relu: false, residual: true },
    { bias: false, relu: true, residual: true },
  ];

  it.each(shapes)('m=%i k=%i n=%i with every epilogue', (m, k, n) => {
    const random = seededRandom(m * 1000 + k * 10 + n);
    const x = randomArray(random, m * k); // [m, k]
    const w = randomArray(random, n * k); // [n, k]
    const bias = randomArray(random, n); // [n]
    const residual = randomArray(random, m * n); // [m, n]
    for (const e of epilogues) {
      const options = { bias: e.bias ? bias : null, relu: e.relu, residual: e.residual ? residual : null };
      const out = poisoned(m * n); // [m, n]
      linearInto(out, x, w, m, k, n, options);
      expectAllClose(out, linearReference(x, w, m, k, n, options), 1e-6, `linear ${JSON.stringify(e)}`);
    }
  });
});

describe('attentionInto vs attentionReference', () => {
  const cases: [string, AttentionParams][] = [
    [
      'one query, one key',
      { queries: 1, keys: 1, heads: 1, kvHeads: 1, headDim: 1, queryStart: 0, scale: 1 },
    ],
    [
      'SASRec prefill 200×50',
      { queries: 200, keys: 200, heads: 1, kvHeads: 1, headDim: 50, queryStart: 0, scale: 1 / Math.sqrt(50) },
    ],
    [
      'SASRec decode step',
      { queries: 1, keys: 137, heads: 1, kvHeads: 1, headDim: 50, queryStart: 136, scale: 1 / Math.sqrt(50) },
    ],
    [
      'extend by 3 with padding rows',
      { queries: 3, keys: 9, heads: 2, kvHeads: 2, headDim: 7, queryStart: 6, scale: 0.4 },
    ],
    [
      'GQA 6/2 heads, headDim 5',
      { queries: 5, keys: 11, heads: 6, kvHeads: 2, headDim: 5, queryStart: 3, scale: 0.45 },
    ],
  ];

  it.each(cases)('%s', (_, p) => {
    const random = seededRandom(p.keys * 31 + p.queries);
    const rows = p.keys + 2; // two padding rows past `keys` that must not be read
    const q = randomArray(random, p.queries * p.heads * p.headDim, 2); // [queries, heads·headDim]
    const k = randomArray(random, rows * p.kvHeads * p.headDim, 2); // [rows, kvHeads·headDim]
    const v = randomArray(random, rows * p.kvHeads * p.headDim, 2); // [rows, kvHeads·headDim]
    k.fill(NaN, p.keys * p.kvHeads * p.headDim);
    v.fill(NaN, p.keys * p.kvHeads * p.headDim);
    const out = poisoned(q.length); // [queries, heads·headDim]
    attentionInto(out, q, k, v, p, new AttentionScratch());
    expectAllClose(out, attentionReference(q, k, v, p), 1e-6, 'attention');
  });

  it('reuses one scratch across growing and shrinking problems', () => {
    const scratch = new AttentionScratch();
    const random = seededRandom(3);
    for (const keys of [3, 300, 2]) {
      const p = { queries: 2, keys, heads: 1, kvHeads: 1, headDim: 70, queryStart: keys - 2, scale: 0.1 };
      const q = randomArray(random, 2 * 70); // [2, 70]
      const kv = randomArray(random, keys * 70); // [keys, 70]
      const out = poisoned(q.length); // [2, 70]
      attentionInto(out, q, kv, kv, p, scratch);
      expectAllClose(out, attentionReference(q, kv, kv, p), 1e-6, `keys ${keys}`);
    }
  });
});

describe('row ops vs their references', () => {
  it.each([1, 5, 50])('embed, layerNorm, rmsNorm and add with d=%i', (d) => {
    const random = seededRandom(d);
    const rows = 9;
    const table = randomArray(random, rows * d); // [rows, d]
    const pos = randomArray(random, 6 * d); // [6, d]
    const ids = Int32Array.from([0, 8, 3]); // [3]
    const embedded = poisoned(3 * d); // [3, d]
    embedInto(embedded, table, d, ids, 7.1, pos, 2);
    expectAllClose(embedded, embedReference(table, d, ids, 7.1, pos, 2), 1e-6, 'embed with positions');
    embedInto(embedded, table, d, ids, 0.5, null, 0);
    expectAllClose(embedded, embedReference(table, d, ids, 0.5, null, 0), 1e-6, 'embed without positions');

    const x = randomArray(random, rows * d, 3); // [rows, d]
    const gamma = randomArray(random, d); // [d]
    const beta = randomArray(random, d); // [d]
    const out = poisoned(rows * d); // [rows, d]
    normInto(out, x, gamma, beta, rows, d, 1e-8);
    expectAllClose(out, layerNormReference(x, gamma, beta, rows, d, 1e-8), 1e-5, 'layerNorm');
    normInto(out, x, gamma, null, rows, d, 1e-6);
    expectAllClose(out, rmsNormReference(x, gamma, rows, d, 1e-6), 1e-5, 'rmsNorm');
    addInto(out, x, table);
    expectAllClose(out, addReference(x, table), 0, 'add');
  });
});

describe('topKFast vs topKReference', () => {
  const scratch = new TopKScratch(); // shared on purpose: the exclusion mask must be left clean

  it.each([
    [1, 1, 0],
    [7, 3, 2],
    [3418, 50, 200],
    [3418, 256, 0],
    [1025, 10, 5],
  ])('n=%i k=%i exclude=%i', (n, k, excluded) => {
    const random = seededRandom(n + 7 * k + excluded);
    const scores = randomArray(random, n, 10); // [n]
    const exclude = Int32Array.from({ length: excluded }, () => Math.floor(random() * n)); // [e]
    const got = topKFast(scores, k, exclude, scratch);
    const want = topKReference(scores, k, exclude);
    expect(Array.from(got.ids)).toEqual(Array.from(want.ids));
    expect(Array.from(got.scores)).toEqual(Array.from(want.scores));
  });

  it('breaks ties to the lower index, ranks NaN last and -0 like +0, ignores out-of-range exclusions', () => {
    const scores = Float32Array.from([0, 5, NaN, 5, -Infinity, -0, 5, 1]); // [8]
    const got = topKFast(scores, 8, Int32Array.from([6, -3, 99]), scratch);
    expect(Array.from(got.ids)).toEqual([1, 3, 7, 0, 5, 4, 2]);
    expect(Array.from(topKFast(scores, 2, new Int32Array(0), scratch).ids)).toEqual([1, 3]);
  });

  it('returns fewer ids when fewer are eligible', () => {
    const got = topKFast(Float32Array.from([1, 2, 3]), 5, Int32Array.from([2, 0]), scratch);
    expect(Array.from(got.ids)).toEqual([1]);
  });

  it('agrees with the reference on many ties, NaNs and exclusions (property, seeded)', () => {
    const value = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constant(NaN), fc.constant(-Infinity));
    fc.assert(
      fc.property(
        fc.array(value, { minLength: 1, maxLength: 80 }),
        fc.integer({ min: 1, max: 90 }),
        fc.array(fc.integer({ min: -2, max: 85 }), { maxLength: 10 }),
        (values, k, exclude) => {
          const scores = Float32Array.from(values); // [n]
          const ex = Int32Array.from(exclude); // [e]
          const got = topKFast(scores, k, ex, scratch);
          expect(Array.from(got.ids)).toEqual(Array.from(topKReference(scores, k, ex).ids));
        },
      ),
      { seed: 11, numRuns: 300 },
    );
  });
});
