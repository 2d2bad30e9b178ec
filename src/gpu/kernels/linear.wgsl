// Tiled f32 matmul in PyTorch's Linear convention:
//   out[m, n] = Σ_k x[m, k] · w[n, k] + bias[n]  → relu (if asked) → + residual[m, n]
// A workgroup of WG_N × WG_M invocations computes a BM × BN tile (BM = 4·WG_M, BN = 4·WG_N),
// each invocation a 4 × 4 micro-tile; K is walked in steps of BK through workgroup memory.
// Scalar loads only: K and N need not be multiples of 4 (SASRec: d = 50).
// Entry point linear_rows serves m ≤ ROWS (decode, scoring one user against every item): one
// invocation per output column walks its weight row once for all rows; no workgroup memory.

struct Params {
  m: u32,
  k: u32,
  n: u32,
  has_bias: u32,
  relu: u32,
  has_residual: u32,
}

const TM: u32 = 4u; // micro-tile rows per invocation
const TN: u32 = 4u; // micro-tile cols per invocation
const BK: u32 = 16u; // K step
override WG_M: u32 = 8;
override WG_N: u32 = 8;
override BM: u32 = TM * WG_M;
override BN: u32 = TN * WG_N;

@group(0) @binding(0) var<storage, read> x: array<f32>;         // [M, K]
@group(0) @binding(1) var<storage, read> w: array<f32>;         // [N, K]
@group(0) @binding(2) var<storage, read> bias: array<f32>;      // [N] (ignored unless has_bias)
@group(0) @binding(3) var<storage, read> residual: array<f32>;  // [M, N] (ignored unless has_residual)
@group(0) @binding(4) var<storage, read_write> out: array<f32>; // [M, N]
@group(0) @binding(5) var<uniform> params: Params;

// out[row, col] = sum + bias → relu → + residual (the fused epilogue of both entry points).
fn store(row: u32, col: u32, sum: f32) {
  var value = sum;
  if (params.has_bias != 0u) { value += bias[col]; }
  if (params.relu != 0u) { value = max(value, 0.0); }
  if (params.has_residual != 0u) { value += residual[row * params.n + col]; }
  out[row * params.n + col] = value;
}

var<workgroup> x_tile: array<f32, BM * BK>; // [BM, BK]
var<workgroup> w_tile: array<f32, BN * BK>; // [BN, BK]

@compute @workgroup_size(WG_N, WG_M)
fn linear(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_id) local: vec3u,
          @builtin(local_invocation_index) lid: u32) {
  let m0 = wid.y * BM;
  let n0 = wid.x * BN;
  let threads = WG_M * WG_N;
  var acc: array<array<f32, TN>, TM>; // [TM, TN] zero-initialised
  for (var k0 = 0u; k0 < params.k; k0 += BK) {
    for (var e = lid; e < BM * BK; e += threads) {
      let row = m0 + e / BK;
      let col = k0 + e % BK;
      x_tile[e] = select(0.0, x[row * params.k + col], row < params.m && col < params.k);
    }
    for (var e = lid; e < BN * BK; e += threads) {
      let row = n0 + e / BK;
      let col = k0 + e % BK;
      w_tile[e] = select(0.0, w[row * params.k + col], row < params.n && col < params.k);
    }
    workgroupBarrier();
    for (var kk = 0u; kk < BK; kk++) {
      var b: array<f32, TN>;
      for (var j = 0u; j < TN; j++) { b[j] = w_tile[(local.x * TN + j) * BK + kk]; }
      for (var i = 0u; i < TM; i++) {
        let a = x_tile[(local.y * TM + i) * BK + kk];
        for (var j = 0u; j < TN; j++) { acc[i][j] = fma(a, b[j], acc[i][j]); }
      }
    }
    workgroupBarrier();
  }
  for (var i = 0u; i < TM; i++) {
    let row = m0 + local.y * TM + i;
    for (var j = 0u; j < TN; j++) {
      let col = n0 + local.x * TN + j;
      if (row < params.m && col < params.n) { store(row, col, acc[i][j]); }
    }
  }
}

const ROWS: u32 = 4u; // most rows linear_rows handles
override WG_ROWS: u32 = 64;

@compute @workgroup_size(WG_ROWS)
fn linear_rows(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u,
               @builtin(local_invocation_index) lid: u32) {
  let col = flat_index(wid, nwg, lid, WG_ROWS);
  if (col >= params.n) { return; }
  let w_base = col * params.k;
  var acc: array<f32, ROWS>; // [m]
  for (var kk = 0u; kk < params.k; kk++) {
    let weight = w[w_base + kk];
    for (var row = 0u; row < params.m; row++) { acc[row] = fma(x[row * params.k + kk], weight, acc[row]); }
  }
  for (var row = 0u; row < params.m; row++) { store(row, col, acc[row]); }
}
