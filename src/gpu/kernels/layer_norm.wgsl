// Row-wise normalisation over the last dim; `layer_norm`: one workgroup per row (wide rows),
// `layer_norm_rows`: one invocation per row, no barriers (rows of ≤ 256 values, e.g. SASRec d = 50):
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

// Σ x[base + c] and Σ (x[base + c] − mean)² over columns c = start, start + step, … < d.
fn partial_sum(base: u32, start: u32, step: u32) -> f32 {
  var sum = 0.0;
  for (var c = start; c < params.d; c += step) { sum += x[base + c]; }
  return sum;
}

fn partial_squares(base: u32, mean: f32, start: u32, step: u32) -> f32 {
  var squares = 0.0;
  for (var c = start; c < params.d; c += step) {
    let centred = x[base + c] - mean;
    squares += centred * centred;
  }
  return squares;
}

// Writes the normalised columns start, start + step, … of the row at `base`.
fn write_row(base: u32, mean: f32, inv: f32, start: u32, step: u32) {
  for (var c = start; c < params.d; c += step) {
    var value = (x[base + c] - mean) * inv * gamma[c];
    if (params.rms == 0u) { value += beta[c]; }
    out[base + c] = value;
  }
}

@compute @workgroup_size(WG)
fn layer_norm(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u,
              @builtin(local_invocation_index) lid: u32) {
  let row = flat_group(wid, nwg);
  let d = f32(params.d);
  let base = min(row, params.rows - 1u) * params.d; // surplus groups compute a valid row, write nothing
  var mean = 0.0;
  if (params.rms == 0u) { mean = workgroup_sum(partial_sum(base, lid, WG), lid, WG) / d; }
  let inv = inverseSqrt(workgroup_sum(partial_squares(base, mean, lid, WG), lid, WG) / d + params.eps);
  if (row >= params.rows) { return; }
  write_row(base, mean, inv, lid, WG);
}

override WG_ROWS: u32 = 64;

@compute @workgroup_size(WG_ROWS)
fn layer_norm_rows(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u,
                   @builtin(local_invocation_index) lid: u32) {
  let row = flat_index(wid, nwg, lid, WG_ROWS);
  if (row >= params.rows) { return; }
  let d = f32(params.d);
  let base = row * params.d;
  var mean = 0.0;
  if (params.rms == 0u) { mean = partial_sum(base, 0u, 1u) / d; }
  let inv = inverseSqrt(partial_squares(base, mean, 0u, 1u) / d + params.eps);
  write_row(base, mean, inv, 0u, 1u);
}
