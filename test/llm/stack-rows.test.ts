import { describe, expect, it } from 'vitest';
import { stackRows } from '../../src/llm/weights.ts';
import { quantizeMatrix } from '../../src/llm/quant.ts';
import { dequantizeRows } from '../../src/gpu/reference/matvec_q.ts';

describe('stackRows (Wq, Wk, Wv → one matrix for the fused attention input)', () => {
  it('stacks f32 matrices row after row', () => {
    expect(stackRows([Float32Array.of(1, 2), Float32Array.of(3, 4, 5, 6)])).toEqual(
      Float32Array.of(1, 2, 3, 4, 5, 6),
    );
  });

  it('stacks quantized blocks: each row dequantises as in its source matrix', () => {
    const a = quantizeMatrix(
      'Q4_0',
      Float32Array.from({ length: 64 }, (_, i) => i / 7 - 4),
      2,
      32,
    ); // [2, 32]
    const b = quantizeMatrix(
      'Q4_0',
      Float32Array.from({ length: 32 }, (_, i) => 3 - i / 5),
      1,
      32,
    ); // [1, 32]
    const stacked = stackRows([a, b]);
    expect(stacked).not.toBeNull();
    expect(stacked).not.toBeInstanceOf(Float32Array);
    const s = stacked as Exclude<typeof stacked, Float32Array | null>;
    expect([s.type, s.rows, s.cols]).toEqual(['Q4_0', 3, 32]);
    expect(dequantizeRows(s, [0, 1, 2])).toEqual(
      Float32Array.of(...dequantizeRows(a, [0, 1]), ...dequantizeRows(b, [0])),
    );
  });

  it('returns null for matrices of different kinds (the forward pass keeps them separate)', () => {
    const q8 = quantizeMatrix('Q8_0', new Float32Array(32), 1, 32);
    const q4 = quantizeMatrix('Q4_0', new Float32Array(32), 1, 32);
    expect(stackRows([q8, q4])).toBeNull();
    expect(stackRows([new Float32Array(32), q8])).toBeNull();
    expect(stackRows([q8, new Float32Array(32)])).toBeNull();
  });
});
