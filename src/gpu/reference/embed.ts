/**
 * Plain-loop embedding gather: out[i] = table[ids[i]] · scale + pos[posStart + i].
 * Inputs are assumed valid (see `checkEmbed` in `../shapes.ts`).
 */

/** Gathers rows of `table` [rows, d] for `ids` [n], scaled, plus optional positions `pos` [P, d]. */
export function embedReference(
  table: Float32Array, // [rows, d]
  d: number,
  ids: Int32Array, // [n]
  scale: number,
  pos: Float32Array | null, // [P, d]
  posStart: number,
): Float32Array {
  const out = new Float32Array(ids.length * d); // [n, d]
  for (let i = 0; i < ids.length; i++) {
    for (let c = 0; c < d; c++) {
      const position = pos ? pos[(posStart + i) * d + c] : 0;
      out[i * d + c] = table[ids[i] * d + c] * scale + position;
    }
  }
  return out;
}
