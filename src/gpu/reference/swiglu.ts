/** Plain-loop SwiGLU gate of the LLaMA feed-forward block: out = silu(gate) · up. */

/** out[i] = gate[i] · sigmoid(gate[i]) · up[i] (same length). */
export function swigluReference(
  gate: Float32Array, // [m, hidden]
  up: Float32Array, // [m, hidden]
): Float32Array {
  const out = new Float32Array(gate.length); // [m, hidden]
  for (let i = 0; i < gate.length; i++) out[i] = (gate[i] / (1 + Math.exp(-gate[i]))) * up[i];
  return out;
}

/**
 * The LLaMA feed-forward's gated input (the GATED linear / matvec kernels): out [m, n] =
 * silu(x · gateᵀ) ⊙ (x · upᵀ), with the projections given as already computed [m, n] products
 * (`linearReference` for f32, `matvecQuantReference` for quantized weights).
 */
export function gatedLinearReference(
  project: (w: 'gate' | 'up') => Float32Array, // → x · wᵀ [m, n]
): Float32Array {
  return swigluReference(project('gate'), project('up')); // [m, n]
}
