import { describe, expect, it } from 'vitest';
import { CpuOps } from '../../src/gpu/cpu-ops.ts';
import { ShapeError } from '../../src/gpu/shapes.ts';
import { ropeReference } from '../../src/gpu/reference/rope.ts';
import { swigluReference } from '../../src/gpu/reference/swiglu.ts';
import { seededRandom } from '../../src/eval/random.ts';
import { hfToPairRow } from '../../src/llm/rope-order.ts';

describe('rope reference (llama2.c pair layout)', () => {
  it('rotates adjacent pairs by position · theta^(−2j/headDim), hand-computed', () => {
    // headDim 4 → pair 0 frequency 1, pair 1 frequency 10000^(−1/2) = 0.01; position 1 and 2.
    const x = Float32Array.of(1, 0, 0, 1, 2, 3, 4, 5); // [2, 4]
    const out = ropeReference(x, 2, 4, { headDim: 4, positionStart: 1, theta: 10000 });
    const want = [
      Math.cos(1),
      Math.sin(1),
      -Math.sin(0.01),
      Math.cos(0.01),
      2 * Math.cos(2) - 3 * Math.sin(2),
      2 * Math.sin(2) + 3 * Math.cos(2),
      4 * Math.cos(0.02) - 5 * Math.sin(0.02),
      4 * Math.sin(0.02) + 5 * Math.cos(0.02),
    ];
    want.forEach((w, i) => expect(out[i]).toBeCloseTo(w, 6));
  });

  it('restarts the pair index in every head and leaves position 0 unchanged', () => {
    const x = Float32Array.of(1, 2, 3, 4, 5, 6, 7, 8); // [1, 2 heads · 4]
    expect(Array.from(ropeReference(x, 1, 8, { headDim: 4, positionStart: 0, theta: 10000 }))).toEqual(
      Array.from(x),
    );
    const moved = ropeReference(x, 1, 8, { headDim: 4, positionStart: 3, theta: 10000 });
    const head0 = ropeReference(x.subarray(0, 4), 1, 4, { headDim: 4, positionStart: 3, theta: 10000 });
    const head1 = ropeReference(x.subarray(4), 1, 4, { headDim: 4, positionStart: 3, theta: 10000 });
    expect(Array.from(moved)).toEqual([...head0, ...head1]);
  });

  it('CpuOps.rope rejects odd head sizes and widths that are not a multiple of it', () => {
    const ops = new CpuOps();
    const x = ops.zeros([2, 6]);
    expect(() => ops.rope(x, { headDim: 3, positionStart: 0, theta: 1e4 })).toThrow(ShapeError);
    expect(() => ops.rope(x, { headDim: 4, positionStart: 0, theta: 1e4 })).toThrow(/multiple of headDim/);
    expect(() => ops.rope(x, { headDim: 2, positionStart: -1, theta: 1e4 })).toThrow(/positionStart/);
  });
});

describe('rope reference (NEOX layout)', () => {
  it('rotates (j, j + headDim/2) by position · theta^(−2j/headDim), hand-computed', () => {
    // headDim 4: pair 0 is columns (0, 2) with frequency 1, pair 1 is (1, 3) with frequency 0.01.
    const x = Float32Array.of(2, 4, 3, 5); // [1, 4]
    const out = ropeReference(x, 1, 4, { headDim: 4, positionStart: 2, theta: 10000, neox: true });
    const want = [
      2 * Math.cos(2) - 3 * Math.sin(2),
      4 * Math.cos(0.02) - 5 * Math.sin(0.02),
      2 * Math.sin(2) + 3 * Math.cos(2),
      4 * Math.sin(0.02) + 5 * Math.cos(0.02),
    ];
    want.forEach((w, i) => expect(out[i]).toBeCloseTo(w, 6));
  });

  it('equals the pair layout on rows re-ordered per head (random x, several heads and positions)', () => {
    const random = seededRandom(17);
    const [n, headSize, heads] = [5, 8, 3];
    const width = headSize * heads;
    const x = Float32Array.from({ length: n * width }, () => random() * 4 - 2); // [n, width]
    const order = Array.from({ length: width }, (_, c) => hfToPairRow(c, headSize)); // pair column → neox column
    const reordered = Float32Array.from(
      { length: n * width },
      (_, i) => x[i - (i % width) + order[i % width]],
    );
    const p = { headDim: headSize, positionStart: 9, theta: 500000 };
    const neox = ropeReference(x, n, width, { ...p, neox: true });
    const pairs = ropeReference(reordered, n, width, p);
    for (let i = 0; i < n * width; i++) {
      expect(pairs[i]).toBeCloseTo(neox[i - (i % width) + order[i % width]], 5);
    }
  });
});

describe('swiglu reference', () => {
  it('computes silu(gate) · up, hand-computed', () => {
    const out = swigluReference(Float32Array.of(0, 1, -2, 30), Float32Array.of(5, 2, 3, 1));
    const silu = (g: number) => g / (1 + Math.exp(-g));
    expect(out[0]).toBe(0);
    expect(out[1]).toBeCloseTo(2 * silu(1), 6); // 1.4621172
    expect(out[2]).toBeCloseTo(3 * silu(-2), 6); // −0.7153811
    expect(out[3]).toBeCloseTo(30, 5);
  });

  it('CpuOps.swiglu rejects mismatched shapes', () => {
    const ops = new CpuOps();
    expect(() => ops.swiglu(ops.zeros([2, 3]), ops.zeros([3, 2]))).toThrow(ShapeError);
  });
});
