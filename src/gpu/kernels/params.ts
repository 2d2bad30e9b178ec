/**
 * Kernel parameters: each kernel declares its `struct Params` fields once in TypeScript, in the same
 * order and with the same names and types as in its WGSL (a test parses the WGSL to compare), and
 * `packParams` writes them into the uniform buffer bytes.
 */

/** WGSL scalar types used in `struct Params` (4 bytes each). */
export type ParamType = 'u32' | 'i32' | 'f32';

/** Ordered field list of one kernel's `struct Params`. */
export type ParamLayout = readonly (readonly [name: string, type: ParamType])[];

/** Values by field name. */
export type ParamValues<L extends ParamLayout> = { [F in L[number] as F[0]]: number };

/** Thrown when a parameter value does not fit its WGSL type (e.g. a negative u32). */
export class ParamRangeError extends Error {
  override readonly name = 'ParamRangeError';
}

/** Byte size of the WGSL struct: 4 bytes per scalar field, rounded up to 16 for uniform use. */
export function paramsByteSize(layout: ParamLayout): number {
  return Math.ceil((layout.length * 4) / 16) * 16;
}

/** Packs `values` in `layout` order into a little-endian uniform buffer image. */
export function packParams<L extends ParamLayout>(layout: L, values: ParamValues<L>): ArrayBuffer {
  const bytes = new ArrayBuffer(paramsByteSize(layout));
  const view = new DataView(bytes);
  const byName = values as Record<string, number>;
  layout.forEach(([name, type], i) => {
    const value = byName[name];
    if (type === 'f32') {
      view.setFloat32(i * 4, value, true);
      return;
    }
    const [min, max] = type === 'u32' ? [0, 2 ** 32 - 1] : [-(2 ** 31), 2 ** 31 - 1];
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new ParamRangeError(
        `param ${name} = ${value} does not fit ${type}; pass an integer in ${min}..${max}`,
      );
    }
    if (type === 'u32') view.setUint32(i * 4, value, true);
    else view.setInt32(i * 4, value, true);
  });
  return bytes;
}
