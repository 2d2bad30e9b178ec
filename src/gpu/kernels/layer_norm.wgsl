// Row-wise normalisation over the last dim, one workgroup per row:
//   rms == 0: out = (x − mean) / sqrt(var + eps) · gamma + beta       (LayerNorm, biased var)
//   rms == 1: out = x / sqrt(mean(x²) + eps) · gamma                   (RMSNorm; beta ignored)

struct Params {
  rows: u32, // M
  d: u32,    // row width
  rms: u32,  // 1: RMSNorm
  eps: f32,
}

override WG: u32 = 64; // power of two

@group(0) @binding(0) var<storage, read> x: array<f32>;         // [M, d]
@group(0) @binding(1) var<storage, read> gamma: array<f32>;     // [d]
@group(0) @binding(2) var<storage, read> beta: array<f32>;      // [d]
@group(0) @binding(3) var<storage, read_write> out: array<f32>; // [M, d]
@group(0) @binding(4) var<uniform> params: Params;

@compute @workgroup_size(WG)
fn layer_norm(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u,
              @builtin(local_invocation_index) lid: u32) {
  let row = flat_group(wid, nwg);
  let d = params.d;
  let base = min(row, params.rows - 1u) * d; // out-of-range groups compute a valid row, write nothing
  var mean = 0.0;
  if (params.rms == 0u) {
    var sum = 0.0;
    for (var c = lid; c < d; c += WG) { sum += x[base + c]; }
    mean = workgroup_sum(sum, lid, WG) / f32(d);
  }
  var squares = 0.0;
  for (var c = lid; c < d; c += WG) {
    let centred = x[base + c] - mean;
    squares += centred * centred;
  }
  let inv = inverseSqrt(workgroup_sum(squares, lid, WG) / f32(d) + params.eps);
  if (row >= params.rows) { return; }
  for (var c = lid; c < d; c += WG) {
    var value = (x[base + c] - mean) * inv * gamma[c];
    if (params.rms == 0u) { value += beta[c]; }
    out[base + c] = value;
  }
}
