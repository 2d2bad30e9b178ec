/** Plain row copies for row-major matrices of a given width (KV-cache writes, slices). */

/** Copies src [n, width] into rows rowStart..rowStart+n-1 of dst [capacity, width], in place. */
export function writeRowsReference(
  dst: Float32Array, // [capacity, width]
  width: number,
  rowStart: number,
  src: Float32Array, // [n, width]
): void {
  dst.set(src, rowStart * width);
}

/** Returns a copy of rows rowStart..rowStart+n-1 of x [rows, width] as [n, width]. */
export function sliceRowsReference(
  x: Float32Array, // [rows, width]
  width: number,
  rowStart: number,
  n: number,
): Float32Array {
  return x.slice(rowStart * width, (rowStart + n) * width); // [n, width]
}
