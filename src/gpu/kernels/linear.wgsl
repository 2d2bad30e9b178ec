// f32 Linear in PyTorch's convention:
//   out[m, n] = Σ_k x[m, k] · w[n, k] + bias[n]  → relu (if asked) → + residual[m, n]
// Register tiling: each invocation computes a TM × TN block of outputs (TN = 4 columns, TM = 1..4
// rows, an override so few-row calls such as decode or item scoring waste nothing), loading each
// x value once per TN outputs and each w value once per TM outputs. No workgroup memory and no
// barriers: on the CPU adapters we run on (lavapipe, llvmpipe GLES, SwiftShader) this measured
// 2.5–7× faster than a workgroup-memory tiled kernel. Scalar loads: K and N need not be multiples
// of 4 (SASRec: d = 50). Edge blocks clamp their loads and skip their stores.
// GATED (the LLaMA feed-forward's gate and up projections fused with SwiGLU): binding 2 holds the
// up weight [N, K] instead of a bias and out[m, n] = silu(x·wᵀ) · (x·upᵀ) (no bias/relu/residual).

struct Params {
  m: u32,
  k: u32,
  n: u32,
  has_bias: u32,
  relu: u32,
  has_residual: u32,
}

const TN: u32 = 4u;    // columns per invocation
const MAX_TM: u32 = 4u;
override TM: u32 = 4;  // rows per invocation, 1..MAX_TM
override WG: u32 = 64;
override GATED: bool = false;

@group(0) @binding(0) var<storage, read> x: array<f32>;         // [M, K]
@group(0) @binding(1) var<storage, read> w: array<f32>;         // [N, K]
@group(0) @binding(2) var<storage, read> bias: array<f32>;      // [N] (unless has_bias: ignored) or GATED: up [N, K]
@group(0) @binding(3) var<storage, read> residual: array<f32>;  // [M, N] (ignored unless has_residual)
@group(0) @binding(4) var<storage, read_write> out: array<f32>; // [M, N]
@group(0) @binding(5) var<uniform> params: Params;

@compute @workgroup_size(WG)
fn linear(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u,
          @builtin(local_invocation_index) lid: u32) {
  let blocks_n = (params.n + TN - 1u) / TN;
  let block = flat_index(wid, nwg, lid, WG);
  let r0 = (block / blocks_n) * TM;
  let c0 = (block % blocks_n) * TN;
  if (r0 >= params.m) { return; }
  let last_row = min(params.m - 1u, r0 + TM - 1u);
  let last_col = min(params.n - 1u, c0 + TN - 1u);
  var acc: array<array<f32, TN>, MAX_TM>;    // [TM, TN] zero-initialised
  var acc_up: array<array<f32, TN>, MAX_TM>; // [TM, TN] x·upᵀ (GATED only)
  for (var kk = 0u; kk < params.k; kk++) {
    var b: array<f32, TN>;  // [TN] w[c0.., kk]
    var bu: array<f32, TN>; // [TN] up[c0.., kk] (GATED only)
    for (var j = 0u; j < TN; j++) {
      let at = min(c0 + j, last_col) * params.k + kk;
      b[j] = w[at];
      if (GATED) { bu[j] = bias[at]; }
    }
    for (var i = 0u; i < TM; i++) {
      let a = x[min(r0 + i, last_row) * params.k + kk];
      for (var j = 0u; j < TN; j++) {
        acc[i][j] = fma(a, b[j], acc[i][j]);
        if (GATED) { acc_up[i][j] = fma(a, bu[j], acc_up[i][j]); }
      }
    }
  }
  for (var i = 0u; i < TM; i++) {
    let row = r0 + i;
    for (var j = 0u; j < TN; j++) {
      let col = c0 + j;
      if (row < params.m && col < params.n) {
        var value = acc[i][j];
        if (GATED) {
          out[row * params.n + col] = swiglu_value(value, acc_up[i][j]);
          continue;
        }
        if (params.has_bias != 0u) { value += bias[col]; }
        if (params.relu != 0u) { value = max(value, 0.0); }
        if (params.has_residual != 0u) { value += residual[row * params.n + col]; }
        out[row * params.n + col] = value;
      }
    }
  }
}
