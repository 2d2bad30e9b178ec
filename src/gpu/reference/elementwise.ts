/** Plain-loop element-wise ops. */

/** out = a + b, element by element (same length). */
export function addReference(
  a: Float32Array, // [size]
  b: Float32Array, // [size]
): Float32Array {
  const out = new Float32Array(a.length); // [size]
  for (let i = 0; i < a.length; i++) out[i] = a[i] + b[i];
  return out;
}
