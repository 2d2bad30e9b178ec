/**
 * Plain-loop rotary position embedding (RoPE). Inside every head, pair j is rotated by
 * pos · theta^(−2j / headDim); the pair is (2j, 2j+1) in the llama2.c / GGUF "normal" layout and
 * (j, j + headDim/2) in the NEOX layout (`neox: true`; qwen2, Hugging Face "rotate half").
 * Hugging Face LLaMA loaders permute Wq/Wk rows into the normal layout instead, as llama.cpp's
 * converter does. Scaled RoPE divides pair j's frequency by `freqFactors[j]`. Angles are computed in f64.
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
  if (p.freqFactors && p.freqFactors.length !== headDim / 2) {
    throw new ShapeError(
      `rope: ${p.freqFactors.length} frequency factors; expected headDim/2 = ${headDim / 2}`,
    );
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
  const half = headDim / 2;
  const second = p.neox ? half : 1; // offset of a pair's second member
  const out = new Float32Array(n * width); // [n, heads·headDim]
  for (let i = 0; i < n; i++) {
    const position = positionStart + i;
    for (let head = 0; head < width; head += headDim) {
      for (let pair = 0; pair < half; pair++) {
        const angle = (position * theta ** ((-2 * pair) / headDim)) / (p.freqFactors?.[pair] ?? 1);
        const [cos, sin] = [Math.cos(angle), Math.sin(angle)];
        const first = i * width + head + (p.neox ? pair : 2 * pair);
        const [a, b] = [x[first], x[first + second]];
        out[first] = a * cos - b * sin;
        out[first + second] = a * sin + b * cos;
      }
    }
  }
  return out;
}
