/**
 * The few pieces of the WebAssembly binary format that `wasm-gemm.ts` needs to assemble its
 * module at run time (no toolchain, no binary blob in the repo): LEB128 numbers, sections, the
 * opcodes used, and memory-access immediates. Spec: https://webassembly.github.io/spec/core/binary/
 */

/** Unsigned LEB128 bytes of `value` (a non-negative integer < 2³²). */
export function unsignedLeb(value: number): number[] {
  const bytes: number[] = [];
  let rest = value >>> 0;
  do {
    const low = rest & 0x7f;
    rest >>>= 7;
    bytes.push(rest === 0 ? low : low | 0x80);
  } while (rest !== 0);
  return bytes;
}

/** Signed LEB128 bytes of `value` (a 32-bit integer). */
export function signedLeb(value: number): number[] {
  const bytes: number[] = [];
  let rest = value | 0;
  for (;;) {
    const low = rest & 0x7f;
    rest >>= 7;
    const done = (rest === 0 && (low & 0x40) === 0) || (rest === -1 && (low & 0x40) !== 0);
    bytes.push(done ? low : low | 0x80);
    if (done) return bytes;
  }
}

/** A vector: its length, then its items' bytes. */
export function vector(items: number[][]): number[] {
  return [...unsignedLeb(items.length), ...items.flat()];
}

/** A section: id, byte size, contents. */
export function section(id: number, contents: number[]): number[] {
  return [id, ...unsignedLeb(contents.length), ...contents];
}

/** A name as UTF-8 bytes with its length (ASCII names only here). */
export function name(text: string): number[] {
  return [...unsignedLeb(text.length), ...Array.from(text, (ch) => ch.charCodeAt(0))];
}

/** Module header: magic "\0asm" and version 1. */
export const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

/** Section ids. */
export const SECTION = { type: 1, function: 3, memory: 5, export: 7, code: 10 } as const;

/** Value types. */
export const TYPE = { i32: 0x7f, f32: 0x7d, v128: 0x7b, func: 0x60 } as const;

/** Core opcodes used by the kernels. */
export const OP = {
  block: 0x02,
  loop: 0x03,
  end: 0x0b,
  br: 0x0c,
  brIf: 0x0d,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  f32Store: 0x38,
  i32Const: 0x41,
  f32Const: 0x43,
  i32GeU: 0x4f,
  i32Add: 0x6a,
  i32Mul: 0x6c,
  f32Add: 0x92,
  blockTypeEmpty: 0x40,
} as const;

/** SIMD opcodes (after the 0xfd prefix), as LEB128 sub-opcodes. */
export const SIMD = {
  prefix: 0xfd,
  v128Load: 0x00,
  f32x4Splat: 0x13,
  f32x4ExtractLane: 0x1f,
  f32x4Add: 0xe4,
  f32x4Mul: 0xe6,
} as const;

/** A SIMD instruction: prefix + LEB128 sub-opcode (+ immediates). */
export function simd(subOpcode: number, ...immediates: number[]): number[] {
  return [SIMD.prefix, ...unsignedLeb(subOpcode), ...immediates];
}

/** Memory-access immediate: alignment exponent and byte offset. */
export function memarg(alignLog2: number, offset: number): number[] {
  return [...unsignedLeb(alignLog2), ...unsignedLeb(offset)];
}
