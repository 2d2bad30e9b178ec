/**
 * The trainable SASRec parameters: one Float32Array per tensor, keyed by the PyTorch / safetensors
 * name and in the order of `expectedSasrecTensors` (the single list of what a SASRec model holds).
 * Gradients use the same layout, so the optimizer and the exporter treat every tensor alike.
 */
import { expectedSasrecTensors, type SasrecConfig } from '../sasrec/config.ts';
import { Rng } from '../eval/random.ts';
import { sasrecWeightViews, type SasrecBlockWeights, type SasrecWeights } from '../sasrec/weights.ts';

/** Tensor name → values (row-major, length = product of its shape). */
export type ParamTensors = Map<string, Float32Array>;

/**
 * Named views of parameter (or gradient) tensors use the runtime's weight shapes (src/sasrec/weights.ts):
 * in_proj split into Wq, Wk, Wv, sharing memory with the named tensors.
 */
export type ModelViews = SasrecWeights;
/** One block's views. */
export type BlockViews = SasrecBlockWeights;

/** Tensors of zeros with the shapes `config` implies (gradient buffers, Adam moments). */
export function zeroTensors(config: SasrecConfig): ParamTensors {
  const out: ParamTensors = new Map();
  for (const [name, shape] of expectedSasrecTensors(config)) {
    out.set(name, new Float32Array(shape.reduce((a, b) => a * b, 1)));
  }
  return out;
}

/** Named views of `tensors` (parameters or gradients) for the forward / backward code. */
export function modelViews(config: SasrecConfig, tensors: ParamTensors): ModelViews {
  return sasrecWeightViews(config, (name) => {
    const t = tensors.get(name);
    if (!t) throw new RangeError(`tensor "${name}" is missing; build tensors with zeroTensors(config)`);
    return t;
  });
}

/** A normal draw (Box–Muller) from the project's seeded generator. */
function normal(rng: Rng): number {
  const u = 1 - rng.nextFloat(); // (0, 1]
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextFloat());
}

/**
 * Seeded initialisation as models/train/sasrec_model.py: Xavier-normal for every matrix except
 * in_proj (Xavier-uniform), LayerNorm γ = 1 and β = 0, biases 0, padding row 0 of item_emb zero.
 */
export function initialParams(config: SasrecConfig, seed: number): ParamTensors {
  const rng = new Rng(seed);
  const tensors = zeroTensors(config);
  for (const [name, shape] of expectedSasrecTensors(config)) {
    const data = tensors.get(name) as Float32Array;
    if (shape.length === 2) {
      const [fanOut, fanIn] = shape;
      if (name.endsWith('in_proj_weight')) {
        // PyTorch's fans of a [3d, d] matrix: fan_out = 3d, fan_in = d
        const bound = Math.sqrt(6 / (fanIn + fanOut));
        for (let i = 0; i < data.length; i++) data[i] = (rng.nextFloat() * 2 - 1) * bound;
      } else {
        const std = Math.sqrt(2 / (fanIn + fanOut));
        for (let i = 0; i < data.length; i++) data[i] = normal(rng) * std;
      }
    } else if (name.includes('layernorm') && name.endsWith('.weight')) {
      data.fill(1);
    }
  }
  (tensors.get('item_emb.weight') as Float32Array).fill(0, 0, config.hiddenUnits);
  return tensors;
}

/** A deep copy of every tensor (to keep the best epoch's weights). */
export function cloneTensors(tensors: ParamTensors): ParamTensors {
  return new Map([...tensors].map(([name, data]) => [name, data.slice()]));
}
