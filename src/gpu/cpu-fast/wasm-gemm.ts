/**
 * C = A · Bᵀ on WebAssembly SIMD (f32x4), for the large products of a SASRec prefill (linear layers
 * with 200 rows, attention scores and value sums). The module is assembled at run time from the
 * opcodes in `wasm-encoding.ts`; `WasmGemm.create()` returns null where SIMD is unavailable, and the
 * callers keep their JavaScript loops.
 *
 * Kernel contract (the wrapper pads so it holds): rows of A and B are `kBytes` long (a multiple of
 * 16: zero-padded k), m is even, n a multiple of 4; each step of the inner loop multiplies a 2-row ×
 * 4-column register tile (8 f32x4 accumulators, 6 loads). Sums are f32 (lane-wise, then lanes).
 */
import {
  HEADER,
  OP,
  SECTION,
  SIMD,
  TYPE,
  memarg,
  name,
  section,
  signedLeb,
  simd,
  unsignedLeb,
  vector,
} from './wasm-encoding.ts';

// Locals of `gemm`: nine i32 parameters, then i32 and v128 locals.
const [A, LDA, B, LDB, C, LDC, M, N, K_BYTES] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
const [I, J, P, ROW0, ROW1, B0, OUT0, OUT1] = [9, 10, 11, 12, 13, 14, 15, 16];
const I32_LOCALS = 8;
const ACC = [17, 18, 19, 20, 21, 22, 23, 24]; // acc[r·4 + c]: row r of the tile, column c
const [VA0, VA1, VB] = [25, 26, 27];
const V128_LOCALS = 11;

const get = (local: number) => [OP.localGet, ...unsignedLeb(local)];
const set = (local: number) => [OP.localSet, ...unsignedLeb(local)];
const i32 = (value: number) => [OP.i32Const, ...signedLeb(value)];
/** local = local + value-on-stack expression */
const addTo = (local: number, value: number[]) => [...get(local), ...value, OP.i32Add, ...set(local)];
/** `while (counter < limit) { body }` with `counter` advanced by the body. */
const whileBelow = (counter: number, limit: number, body: number[]) => [
  OP.block,
  OP.blockTypeEmpty,
  OP.loop,
  OP.blockTypeEmpty,
  ...get(counter),
  ...get(limit),
  OP.i32GeU,
  OP.brIf,
  1,
  ...body,
  OP.br,
  0,
  OP.end,
  OP.end,
];
/** Sum of the four lanes of a v128 local, left on the stack. */
const laneSum = (local: number) => [
  ...get(local),
  ...simd(SIMD.f32x4ExtractLane, 0),
  ...[1, 2, 3].flatMap((lane) => [...get(local), ...simd(SIMD.f32x4ExtractLane, lane), OP.f32Add]),
];
const f32Store = (offset: number) => [OP.f32Store, ...memarg(2, offset)];
const v128Load = () => simd(SIMD.v128Load, ...memarg(0, 0));

/** The body of the 2×4 tile loop over k, for B row pointer B0 (rows B0 + c·ldb). */
function innerLoop(): number[] {
  const tile: number[] = [
    ...get(ROW0),
    ...get(P),
    OP.i32Add,
    ...v128Load(),
    ...set(VA0),
    ...get(ROW1),
    ...get(P),
    OP.i32Add,
    ...v128Load(),
    ...set(VA1),
  ];
  for (let c = 0; c < 4; c++) {
    // vb = B[j + c][p..p+3]: address B0 + c·ldb + p
    tile.push(...get(B0), ...get(P), OP.i32Add);
    for (let step = 0; step < c; step++) tile.push(...get(LDB), OP.i32Add);
    tile.push(...v128Load(), ...set(VB));
    for (const [row, va] of [
      [0, VA0],
      [1, VA1],
    ]) {
      const acc = ACC[row * 4 + c];
      tile.push(...get(acc), ...get(va), ...get(VB), ...simd(SIMD.f32x4Mul), ...simd(SIMD.f32x4Add));
      tile.push(...set(acc));
    }
  }
  return [...tile, ...addTo(P, i32(16))];
}

/** The body of the loop over column groups j (4 columns) for rows i, i+1. */
function columnLoop(): number[] {
  const zero = [OP.f32Const, 0, 0, 0, 0, ...simd(SIMD.f32x4Splat)];
  const body: number[] = [
    // B0 = b + j·ldb
    ...get(B),
    ...get(J),
    ...get(LDB),
    OP.i32Mul,
    OP.i32Add,
    ...set(B0),
    ...ACC.flatMap((acc) => [...zero, ...set(acc)]),
    ...i32(0),
    ...set(P),
    ...whileBelow(P, K_BYTES, innerLoop()),
  ];
  for (let c = 0; c < 8; c++) {
    const out = c < 4 ? OUT0 : OUT1;
    body.push(...get(out), ...laneSum(ACC[c]), ...f32Store((c % 4) * 4));
  }
  return [...body, ...addTo(OUT0, i32(16)), ...addTo(OUT1, i32(16)), ...addTo(J, i32(4))];
}

/** The body of the loop over row pairs i. */
function rowLoop(): number[] {
  const rowStart = (base: number, stride: number, target: number) => [
    ...get(base),
    ...get(I),
    ...get(stride),
    OP.i32Mul,
    OP.i32Add,
    ...set(target),
  ];
  return [
    ...rowStart(A, LDA, ROW0),
    ...get(ROW0),
    ...get(LDA),
    OP.i32Add,
    ...set(ROW1),
    ...rowStart(C, LDC, OUT0),
    ...get(OUT0),
    ...get(LDC),
    OP.i32Add,
    ...set(OUT1),
    ...i32(0),
    ...set(J),
    ...whileBelow(J, N, columnLoop()),
    ...addTo(I, i32(2)),
  ];
}

/** Bytes of the module: memory "mem" (exported) and `gemm(a, lda, b, ldb, c, ldc, m, n, kBytes)`. */
export function gemmModuleBytes(): Uint8Array<ArrayBuffer> {
  const params = Array.from({ length: 9 }, () => TYPE.i32);
  const funcType = [TYPE.func, ...vector(params.map((t) => [t])), ...vector([])];
  const code = [...i32(0), ...set(I), ...whileBelow(I, M, rowLoop()), OP.end];
  const locals = vector([
    [...unsignedLeb(I32_LOCALS), TYPE.i32],
    [...unsignedLeb(V128_LOCALS), TYPE.v128],
  ]);
  const body = [...locals, ...code];
  return Uint8Array.from([
    ...HEADER,
    ...section(SECTION.type, vector([funcType])),
    ...section(SECTION.function, vector([unsignedLeb(0)])),
    ...section(SECTION.memory, vector([[0x00, ...unsignedLeb(1)]])),
    ...section(
      SECTION.export,
      vector([
        [...name('gemm'), 0x00, 0],
        [...name('mem'), 0x02, 0],
      ]),
    ),
    ...section(SECTION.code, vector([[...unsignedLeb(body.length), ...body]])),
  ]);
}
