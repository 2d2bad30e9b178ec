/**
 * Row order of Wq / Wk for RoPE. Our weights (GGUF "llama", llama2.c, Meta) rotate adjacent pairs
 * (2i, 2i+1) inside each head; Hugging Face checkpoints rotate "halves" (i, i + headSize/2). The
 * two are the same model up to a per-head row permutation of Wq and Wk, which this file applies.
 */

/** Row permutation from Hugging Face "rotate half" q/k order to adjacent pairs, per head. */
export function hfToPairRow(row: number, headSize: number): number {
  const head = Math.floor(row / headSize);
  const within = row % headSize; // new row = pair i, member j at 2i + j; old row = j·half + i
  const half = headSize / 2;
  return head * headSize + (within % 2) * half + Math.floor(within / 2);
}

/** Wq/Wk [heads·headSize, cols] in HF rotate-half row order → a new matrix in pair row order. */
export function hfRowsToPairRows(
  matrix: Float32Array, // [heads·headSize, cols]
  cols: number,
  headSize: number,
): Float32Array {
  const rows = matrix.length / cols;
  const out = new Float32Array(matrix.length); // [heads·headSize, cols]
  for (let row = 0; row < rows; row++) {
    const from = hfToPairRow(row, headSize);
    out.set(matrix.subarray(from * cols, (from + 1) * cols), row * cols);
  }
  return out;
}
