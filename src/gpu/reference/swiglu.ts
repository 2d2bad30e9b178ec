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
