/**
 * CPU reference of the GPU sampler (src/gpu/kernels/sample.wgsl): the same nucleus definition
 * (every token with p ≥ t*, t* the largest threshold whose kept mass reaches topP · Z, ties kept),
 * the same counter-based seeded draw (deriveSeed(seed, step)) and the same f32 summation orders
 * (strided partials + tree for masses, contiguous chunks for the draw), so a seed picks the same
 * token on both; the only difference left is exp()'s last-bit rounding on the GPU.
 */
import { deriveSeed } from '../eval/random.ts';
import type { SampleParams } from '../gpu/ops.ts';

/** Invocations of the GPU workgroup the summation order follows. */
export const SAMPLE_WORKGROUP = 256;

const f32 = Math.fround;
const bits = new DataView(new ArrayBuffer(4));

function bitsToFloat(b: number): number {
  bits.setUint32(0, b);
  return bits.getFloat32(0);
}

/** Σ values[i] over i with values[i] ≥ threshold: strided per invocation, then a tree, in f32. */
function keptMass(p: Float32Array, threshold: number): number {
  const partial = new Float32Array(SAMPLE_WORKGROUP); // [wg]
  for (let i = 0; i < p.length; i++) if (p[i] >= threshold) partial[i % SAMPLE_WORKGROUP] += p[i];
  for (let stride = SAMPLE_WORKGROUP >> 1; stride > 0; stride >>= 1) {
    for (let t = 0; t < stride; t++) partial[t] += partial[t + stride];
  }
  return partial[0];
}

/** The uniform draw in [0, 1) the GPU uses for `seed` at `step` (24 random bits). */
export function sampleUniform(seed: number, step: number): number {
  return (deriveSeed(seed >>> 0, step >>> 0) >>> 8) / 16777216;
}

/** Token id the GPU sampler picks from logits [n] (temperature 0: argmax, lowest id on ties). */
export function sampleTokenReference(
  logits: Float32Array, // [n]
  p: SampleParams,
): number {
  let best = 0; // argmax, lowest id on ties
  for (let i = 1; i < logits.length; i++) if (logits[i] > logits[best]) best = i;
  if (p.temperature === 0) return best;
  const inv = f32(1 / p.temperature);
  const probs = Float32Array.from(logits, (l) => Math.exp(f32(f32(l - logits[best]) * inv))); // [n]
  let lo = 0;
  if (p.topP < 1) {
    const target = f32(f32(p.topP) * keptMass(probs, 0));
    let hi = 0x3f800000; // bits of 1.0 = the largest probability
    for (let k = 0; k < 30; k++) {
      const mid = lo + Math.floor((hi - lo + 1) / 2);
      if (keptMass(probs, bitsToFloat(mid)) >= target) lo = mid;
      else hi = mid - 1;
    }
  }
  const threshold = bitsToFloat(lo);
  const n = probs.length;
  const chunk = Math.ceil(n / SAMPLE_WORKGROUP);
  const partial = new Float32Array(SAMPLE_WORKGROUP); // [wg] contiguous chunk sums
  for (let i = 0; i < n; i++) if (probs[i] >= threshold) partial[Math.floor(i / chunk)] += probs[i];
  const total = partial.reduce((a, b) => f32(a + b), 0);
  let r = f32(sampleUniform(p.seed, p.step) * total);
  let chosen = best;
  for (let t = 0; t < SAMPLE_WORKGROUP; t++) {
    if (r < partial[t]) {
      for (let i = t * chunk; i < Math.min(t * chunk + chunk, n); i++) {
        if (probs[i] < threshold) continue;
        chosen = i;
        r = f32(r - probs[i]);
        if (r < 0) break;
      }
      break;
    }
    r = f32(r - partial[t]);
  }
  return chosen;
}
