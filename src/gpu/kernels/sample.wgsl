// Next-token sampling on the GPU, one workgroup of 256: greedy (argmax, lowest index on ties) or
// temperature + top-p with a counter-based seeded RNG (mix32 of seed and step, as src/eval/random.ts).
// Nucleus: every token with p ≥ t*, t* the largest probability threshold whose kept mass reaches
// top_p · Z (ties at the threshold are all kept); found by a binary search on the f32 bit pattern.
// Then the token whose prefix sum (index order, contiguous chunks of ceil(n/256)) passes u · kept mass.
// src/llm/sample-reference.ts mirrors every step and summation order in f32.

struct Params {
  n: u32,              // vocabulary size
  greedy: u32,         // 1: argmax only
  inv_temperature: f32,
  top_p: f32,          // (0, 1]
  seed: u32,
  step: u32,           // draw counter (token position)
}

const SWG: u32 = 256u;

@group(0) @binding(0) var<storage, read> logits: array<f32>;   // [n]
@group(0) @binding(1) var<storage, read_write> out: array<u32>; // [1] chosen id
@group(0) @binding(2) var<uniform> params: Params;

var<workgroup> best_index: array<u32, 256>; // [wg]
var<private> logit_max: f32;

fn mix32(x: u32) -> u32 {
  var h = (x ^ (x >> 16u)) * 0x21f0aaadu;
  h = (h ^ (h >> 15u)) * 0x735a2d97u;
  return h ^ (h >> 15u);
}

fn prob(i: u32) -> f32 {
  return exp((logits[i] - logit_max) * params.inv_temperature);
}

// Σ p_i over p_i ≥ threshold, strided by invocation then tree-reduced.
fn kept_mass(threshold: f32, lid: u32) -> f32 {
  var local = 0.0;
  for (var i = lid; i < params.n; i += SWG) {
    let p = prob(i);
    if (p >= threshold) { local += p; }
  }
  return workgroup_sum(local, lid, SWG);
}

@compute @workgroup_size(256)
fn sample(@builtin(local_invocation_index) lid: u32) {
  var best = NEG_BIG;
  var best_i = 0xffffffffu;
  for (var i = lid; i < params.n; i += SWG) {
    if (logits[i] > best) { best = logits[i]; best_i = i; }
  }
  reduce_scratch[lid] = best;
  best_index[lid] = best_i;
  workgroupBarrier();
  for (var stride = SWG / 2u; stride > 0u; stride /= 2u) {
    if (lid < stride) {
      let a = reduce_scratch[lid];
      let b = reduce_scratch[lid + stride];
      if (b > a || (b == a && best_index[lid + stride] < best_index[lid])) {
        reduce_scratch[lid] = b;
        best_index[lid] = best_index[lid + stride];
      }
    }
    workgroupBarrier();
  }
  logit_max = reduce_scratch[0];
  let argmax = best_index[0];
  workgroupBarrier();
  if (params.greedy == 1u) {
    if (lid == 0u) { out[0] = argmax; }
    return;
  }
  var lo = 0u; // largest threshold bits found so far with kept mass ≥ target (0 → keep all)
  if (params.top_p < 1.0) {
    let wanted = params.top_p * kept_mass(0.0, lid);
    var hi = bitcast<u32>(1.0); // p_max = exp(0) = 1
    for (var k = 0u; k < 30u; k++) {
      let mid = lo + (hi - lo + 1u) / 2u;
      let mass = kept_mass(bitcast<f32>(mid), lid);
      if (mass >= wanted) { lo = mid; } else { hi = mid - 1u; }
    }
  }
  let threshold = bitcast<f32>(lo);
  let chunk = (params.n + SWG - 1u) / SWG;
  let start = min(lid * chunk, params.n);
  let end = min(start + chunk, params.n);
  var partial = 0.0;
  for (var i = start; i < end; i++) {
    let p = prob(i);
    if (p >= threshold) { partial += p; }
  }
  reduce_scratch[lid] = partial;
  workgroupBarrier();
  if (lid != 0u) { return; }
  var total = 0.0;
  for (var t = 0u; t < SWG; t++) { total += reduce_scratch[t]; }
  let h = mix32(mix32(params.seed ^ 0x5bd1e995u) ^ mix32(params.step + 0x9e3779b9u));
  var r = f32(h >> 8u) / 16777216.0 * total;
  var chosen = argmax; // if rounding leaves r ≥ every prefix sum: the last kept token
  for (var t = 0u; t < SWG; t++) {
    if (r < reduce_scratch[t]) {
      for (var i = min(t * chunk, params.n); i < min(t * chunk + chunk, params.n); i++) {
        let p = prob(i);
        if (p >= threshold) {
          chosen = i;
          r -= p;
          if (r < 0.0) { break; }
        }
      }
      break;
    }
    r -= reduce_scratch[t];
  }
  out[0] = chosen;
}
