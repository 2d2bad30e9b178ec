/**
 * Plain-loop rotary position embedding (RoPE) in the llama2.c / GGUF "normal" layout: inside every
 * head, adjacent values (2j, 2j+1) form a pair that is rotated by pos · theta^(−2j / headDim).
 * (Hugging Face checkpoints use the "rotate half" layout instead; their loaders permute Wq/Wk rows
 * into this layout, as llama.cpp's converter does.) Angles are computed in f64.
 */
import type { RopeParams } from '../ops.ts';
import { ShapeError, expectMatrix } from '../shapes.ts';

/** Validates `rope(x [n, heads·headDim], p)`; returns [n, width]. */
export function checkRope(x: readonly number[], p: RopeParams): [number, number] {
  const [n, width] = expectMatrix('rope x', x);
  const { headDim, positionStart, theta } = p;
  if (!Number.isInteger(headDim) || headDim < 2 || headDim % 2 !== 0) {
    throw new ShapeError(`rope: headDim = ${headDim}; it must be an even integer ≥ 2`);
  }
  if (width % headDim !== 0) {
    throw new ShapeError(`rope: x has ${width} columns, not a multiple of headDim ${headDim}`);
  }
  if (!Number.isInteger(positionStart) || positionStart < 0) {
    throw new ShapeError(`rope: positionStart = ${positionStart}; it must be an integer ≥ 0`);
  }
  if (!(theta > 0) || !Number.isFinite(theta)) {
    throw new ShapeError(`rope: theta = ${theta}; pass the model's rope base (e.g. 10000)`);
  }
  return [n, width];
}

/** out = x with row i (position positionStart + i) rotated pair by pair, per head. */
export function ropeReference(
  x: Float32Array, // [n, heads·headDim]
  n: number,
  width: number,
  p: RopeParams,
): Float32Array {
  const { headDim, positionStart, theta } = p;
  const out = new Float32Array(n * width); // [n, heads·headDim]
  for (let i = 0; i < n; i++) {
    const position = positionStart + i;
    for (let c = 0; c < width; c += 2) {
      const pair = (c % headDim) / 2;
      const angle = position * theta ** ((-2 * pair) / headDim);
      const [cos, sin] = [Math.cos(angle), Math.sin(angle)];
      const [a, b] = [x[i * width + c], x[i * width + c + 1]];
      out[i * width + c] = a * cos - b * sin;
      out[i * width + c + 1] = a * sin + b * cos;
    }
  }
  return out;
}
