// Shared body of the quantized Linear kernels (matvec_q8_0.wgsl, matvec_q4_0.wgsl append the block
// decoder `decode_block`, the constant BLOCK_BYTES and the entry point):
//   out[m, col_offset + c] = Σ_k x[m, k] · W[c, k] + bias[col_offset + c] → relu → + residual[…]
// W [n, K] is one row chunk of a weight in GGUF's block layout (K/32 blocks per row, rows after
// each other), bound as u32 words: blocks are 34 or 18 bytes, so every block starts 2-byte aligned
// and its f16 scale lies inside one word. Each block is decoded once into integers q and its scale
// d, then applied to TM rows of x as d · Σ_j q_j · x_j (f32 accumulation, no f16 arithmetic).
// One invocation computes TM rows × 1 column; weights bigger than one binding are split by rows
// into chunks, one dispatch per chunk (col_offset, out_stride).

struct Params {
  m: u32,
  k: u32,
  n: u32,
  out_stride: u32,
  col_offset: u32,
  has_bias: u32,
  relu: u32,
  has_residual: u32,
}

const MAX_TM: u32 = 4u;
override TM: u32 = 4;  // rows of x per invocation, 1..MAX_TM
override WG: u32 = 64;

@group(0) @binding(0) var<storage, read> x: array<f32>;         // [M, K]
@group(0) @binding(1) var<storage, read> w: array<u32>;         // [N · K/32 · BLOCK_BYTES / 4] blocks
@group(0) @binding(2) var<storage, read> bias: array<f32>;      // [out_stride] (ignored unless has_bias)
@group(0) @binding(3) var<storage, read> residual: array<f32>;  // [M, out_stride] (ignored unless has_residual)
@group(0) @binding(4) var<storage, read_write> out: array<f32>; // [M, out_stride]
@group(0) @binding(5) var<uniform> params: Params;

// Byte `at` of the weight chunk.
fn weight_byte(at: u32) -> u32 {
  return (w[at >> 2u] >> ((at & 3u) * 8u)) & 0xffu;
}

// The f16 at even byte `at`, as f32.
fn weight_f16(at: u32) -> f32 {
  let halves = unpack2x16float(w[at >> 2u]);
  return select(halves.x, halves.y, (at & 2u) != 0u);
}

fn matvec_q_run(wid: vec3u, nwg: vec3u, lid: u32) {
  let row_tiles = (params.m + TM - 1u) / TM;
  let task = flat_index(wid, nwg, lid, WG);
  let c = task / row_tiles;
  let r0 = (task % row_tiles) * TM;
  if (c >= params.n) { return; }
  let last_row = min(params.m - 1u, r0 + TM - 1u);
  let blocks = params.k / 32u;
  var acc: array<f32, MAX_TM>;  // [TM]
  var q: array<f32, 32>;        // [32] integer parts of one block
  for (var b = 0u; b < blocks; b++) {
    let d = decode_block((c * blocks + b) * BLOCK_BYTES, &q);
    for (var i = 0u; i < TM; i++) {
      let base = min(r0 + i, last_row) * params.k + b * 32u;
      var s = 0.0;
      for (var j = 0u; j < 32u; j++) { s = fma(q[j], x[base + j], s); }
      acc[i] = fma(d, s, acc[i]);
    }
  }
  let col = params.col_offset + c;
  for (var i = 0u; i < TM; i++) {
    let row = r0 + i;
    if (row < params.m) {
      var value = acc[i];
      if (params.has_bias != 0u) { value += bias[col]; }
      if (params.relu != 0u) { value = max(value, 0.0); }
      if (params.has_residual != 0u) { value += residual[row * params.out_stride + col]; }
      out[row * params.out_stride + col] = value;
    }
  }
}
