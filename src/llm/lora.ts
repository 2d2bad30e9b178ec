/**
 * LoRA adapters in PEFT's safetensors layout, merged into LLaMA weights: W' = W + (alpha/r)·B·A.
 *
 * Tensor names: `base_model.model.model.layers.{i}.self_attn.{q,k,v,o}_proj.lora_{A,B}.weight` and
 * `…mlp.{gate,up,down}_proj.lora_{A,B}.weight` (an optional `.default` adapter name before
 * `.weight` is accepted); A is [r, in], B is [out, r]. `r` and `lora_alpha` come from PEFT's
 * adapter_config.json (or the caller). Target modules map to our fields: q→wq, k→wk, v→wv, o→wo,
 * gate→w1, up→w3, down→w2; anything else (embeddings, lm_head, fused qkv) is refused by name.
 *
 * RoPE row order: PEFT adapters are trained on Hugging Face checkpoints, whose q/k rows use the
 * "rotate half" order, while our weights (GGUF "llama", llama2.c) use adjacent pairs; llama.cpp's
 * converter permutes Wq/Wk rows per head, so with `ropeLayout: 'hf'` (default) the rows of B for
 * q_proj / k_proj get that same permutation before merging. Use 'meta' for adapters trained on
 * pair-layout (Meta / llama2.c) weights.
 */
import type { SafetensorsFile } from '../protocol/safetensors.ts';
import { headDim, type LlamaConfig } from './config.ts';
import type { LlamaLayerWeights, LlamaWeights } from './weights.ts';
import { layerShapes } from './weights.ts';
import { LAYER_TENSORS } from './load/gguf-llama.ts';
import { hfToPairRow } from './rope-order.ts';

/** An adapter file or config is not a LoRA adapter we can merge (named tensor/field in the message). */
export class LoraAdapterError extends Error {
  override name = 'LoraAdapterError';
}

/** The adapter targets a module that has no counterpart in our LLaMA weights. */
export class UnknownLoraTargetError extends LoraAdapterError {
  override name = 'UnknownLoraTargetError';
}

/** PEFT module name → our layer field. */
export const LORA_TARGETS: Readonly<Record<string, keyof LlamaLayerWeights>> = {
  q_proj: 'wq',
  k_proj: 'wk',
  v_proj: 'wv',
  o_proj: 'wo',
  gate_proj: 'w1',
  up_proj: 'w3',
  down_proj: 'w2',
};

/** What the merge needs from adapter_config.json. */
export interface LoraConfig {
  r: number;
  alpha: number;
  /** row order of the q/k adapters (see the file comment); default 'hf' */
  ropeLayout?: 'hf' | 'meta';
}

/** One adapted matrix: layer, our field, A [r, in] and B [out, r]. */
export interface LoraPair {
  layer: number;
  module: string;
  field: keyof LlamaLayerWeights;
  a: Float32Array; // [r, in]
  b: Float32Array; // [out, r]
  aShape: [number, number];
  bShape: [number, number];
}

/** Reads r, lora_alpha and target_modules from adapter_config.json text. */
export function loraConfigFromJson(text: string): LoraConfig {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new LoraAdapterError(`adapter_config.json is not JSON: ${String(error)}`);
  }
  const { r, lora_alpha: alpha, target_modules: targets } = (json ?? {}) as Record<string, unknown>;
  if (typeof r !== 'number' || !Number.isInteger(r) || r < 1) {
    throw new LoraAdapterError(`adapter_config.json: r = ${String(r)}; expected a positive integer`);
  }
  if (typeof alpha !== 'number' || !Number.isFinite(alpha)) {
    throw new LoraAdapterError(`adapter_config.json: lora_alpha = ${String(alpha)}; expected a number`);
  }
  const list = typeof targets === 'string' ? [targets] : Array.isArray(targets) ? targets : [];
  for (const t of list) {
    if (typeof t !== 'string' || !(t in LORA_TARGETS)) {
      throw new UnknownLoraTargetError(
        `adapter_config.json targets "${String(t)}"; this merge supports ${Object.keys(LORA_TARGETS).join(', ')}`,
      );
    }
  }
  return { r, alpha };
}

const NAME =
  /^(?:base_model\.model\.)?model\.layers\.(\d+)\.(self_attn|mlp)\.([A-Za-z0-9_]+)\.lora_([AB])(?:\.default)?\.weight$/;

/** Every A/B pair of a PEFT adapter file, checked for names, partners and rank. */
export function readLoraAdapter(file: SafetensorsFile, config: LoraConfig): LoraPair[] {
  const halves = new Map<string, { layer: number; module: string; a?: string; b?: string }>();
  for (const name of file.entries.keys()) {
    const match = NAME.exec(name);
    if (!match) {
      throw new UnknownLoraTargetError(
        `adapter tensor "${name}" is not a LoRA A/B matrix of a layer's ${Object.keys(LORA_TARGETS).join('/')} module`,
      );
    }
    const [, layer, , module, half] = match;
    if (!(module in LORA_TARGETS)) {
      throw new UnknownLoraTargetError(
        `adapter tensor "${name}" targets module "${module}"; supported: ${Object.keys(LORA_TARGETS).join(', ')}`,
      );
    }
    const key = `${layer}.${module}`;
    const entry = halves.get(key) ?? { layer: Number(layer), module };
    entry[half === 'A' ? 'a' : 'b'] = name;
    halves.set(key, entry);
  }
  return [...halves.values()].map(({ layer, module, a, b }) => {
    if (!a || !b)
      throw new LoraAdapterError(
        `layer ${layer} ${module} has lora_${a ? 'A' : 'B'} but no lora_${a ? 'B' : 'A'}`,
      );
    const [aShape, bShape] = [file.entries.get(a)!.shape, file.entries.get(b)!.shape];
    if (aShape.length !== 2 || bShape.length !== 2 || aShape[0] !== config.r || bShape[1] !== config.r) {
      throw new LoraAdapterError(
        `layer ${layer} ${module}: lora_A [${aShape.join(', ')}] and lora_B [${bShape.join(', ')}] do not have rank r = ${config.r} (A [r, in], B [out, r])`,
      );
    }
    return {
      layer,
      module,
      field: LORA_TARGETS[module],
      a: file.tensor(a),
      b: file.tensor(b),
      aShape: [aShape[0], aShape[1]],
      bShape: [bShape[0], bShape[1]],
    };
  });
}

/** delta [out, in] = scale · B · A, with B's rows taken through `rowOf`. */
export function loraDelta(
  pair: LoraPair,
  scale: number,
  rowOf: (row: number) => number = (row) => row,
): Float32Array {
  const [r, inputs] = pair.aShape;
  const outputs = pair.bShape[0];
  const delta = new Float32Array(outputs * inputs); // [out, in]
  for (let o = 0; o < outputs; o++) {
    const source = rowOf(o);
    for (let k = 0; k < r; k++) {
      const coefficient = scale * pair.b[source * r + k];
      if (coefficient === 0) continue;
      for (let i = 0; i < inputs; i++) delta[o * inputs + i] += coefficient * pair.a[k * inputs + i];
    }
  }
  return delta;
}

/** One merged matrix and the largest |change| the adapter made to it. */
export interface LoraChange {
  name: string;
  maxAbsChange: number;
}

/** Returns new weights with every pair merged (inputs untouched) and the per-tensor changes. */
export function mergeLora(
  weights: LlamaWeights,
  pairs: readonly LoraPair[],
  config: LoraConfig,
): { weights: LlamaWeights; changes: LoraChange[] } {
  const c: LlamaConfig = weights.config;
  const shapes = layerShapes(c);
  const layers = weights.layers.map((layer) => ({ ...layer }));
  const changes: LoraChange[] = [];
  const scale = config.alpha / config.r;
  for (const pair of pairs) {
    const name = `blk.${pair.layer}.${LAYER_TENSORS[pair.field]}.weight`;
    if (pair.layer >= c.layers)
      throw new LoraAdapterError(`adapter has layer ${pair.layer}; the model has ${c.layers}`);
    const [outputs, inputs] = shapes[pair.field];
    if (pair.bShape[0] !== outputs || pair.aShape[1] !== inputs) {
      throw new LoraAdapterError(
        `${pair.module} of layer ${pair.layer}: B·A is [${pair.bShape[0]}, ${pair.aShape[1]}] but ${name} is [${outputs}, ${inputs}]`,
      );
    }
    const permute = (config.ropeLayout ?? 'hf') === 'hf' && (pair.field === 'wq' || pair.field === 'wk');
    const delta = loraDelta(pair, scale, permute ? (row) => hfToPairRow(row, headDim(c)) : undefined);
    const merged = Float32Array.from(layers[pair.layer][pair.field]); // [out, in]
    let maxAbsChange = 0;
    for (let i = 0; i < merged.length; i++) {
      const before = merged[i];
      merged[i] = before + delta[i];
      maxAbsChange = Math.max(maxAbsChange, Math.abs(merged[i] - before));
    }
    layers[pair.layer][pair.field] = merged;
    changes.push({ name, maxAbsChange });
  }
  return { weights: { ...weights, layers }, changes };
}
