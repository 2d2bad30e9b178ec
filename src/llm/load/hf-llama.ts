/**
 * Hugging Face LLaMA checkpoints (config.json + one or more `*.safetensors` shards, HF tensor
 * names) → the one internal weights layout (src/llm/weights.ts).
 *
 * Tensor names: `model.embed_tokens.weight`, `model.layers.{i}.input_layernorm.weight`,
 * `…self_attn.{q,k,v,o}_proj.weight`, `…post_attention_layernorm.weight`,
 * `…mlp.{gate,up,down}_proj.weight`, `model.norm.weight`, `lm_head.weight` (absent when tied).
 * HF stores Linear weights as [out, in] like we do. Wq / Wk rows are in the "rotate half" order and
 * are permuted per head into our adjacent-pair order (src/llm/rope-order.ts), as llama.cpp's
 * converter does when it writes GGUF.
 */
import { z } from 'zod';
import type { SafetensorsFile } from '../../protocol/safetensors.ts';
import { headDim, validateLlamaConfig, type LlamaConfig } from '../config.ts';
import { hfRowsToPairRows } from '../rope-order.ts';
import { ropeFactorsEntry, ropeFactorsFromHfConfig } from '../rope-scaling.ts';
import { checkLlamaWeights, layerShapes, type LlamaLayerWeights, type LlamaWeights } from '../weights.ts';
import { HfModelError, UnsupportedArchitectureError } from './errors.ts';

/** HF tensor name (after `model.layers.{i}.`) of each layer field. */
export const HF_LAYER_TENSORS: Record<keyof LlamaLayerWeights, string> = {
  attnNorm: 'input_layernorm',
  wq: 'self_attn.q_proj',
  wk: 'self_attn.k_proj',
  wv: 'self_attn.v_proj',
  wo: 'self_attn.o_proj',
  ffnNorm: 'post_attention_layernorm',
  w1: 'mlp.gate_proj',
  w2: 'mlp.down_proj',
  w3: 'mlp.up_proj',
};

const positiveInt = z.number().int().positive();

/** The fields of config.json this loader reads (others are ignored). */
const HfConfigSchema = z.object({
  model_type: z.string().optional(),
  architectures: z.array(z.string()).optional(),
  hidden_size: positiveInt,
  intermediate_size: positiveInt,
  num_hidden_layers: positiveInt,
  num_attention_heads: positiveInt,
  num_key_value_heads: positiveInt.optional(),
  head_dim: positiveInt.optional(),
  vocab_size: positiveInt,
  max_position_embeddings: positiveInt,
  rope_theta: z.number().positive().optional(),
  rms_norm_eps: z.number().positive().optional(),
  tie_word_embeddings: z.boolean().optional(),
  rope_scaling: z.unknown().optional(),
  attention_bias: z.boolean().optional(),
  mlp_bias: z.boolean().optional(),
});

/** Parses config.json text into a validated LlamaConfig; HfModelError / UnsupportedArchitectureError. */
export function configFromHfJson(text: string): LlamaConfig {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new HfModelError(
      `config.json is not JSON (${(error as Error).message}); pass the model's config.json`,
    );
  }
  const parsed = HfConfigSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new HfModelError(`config.json is not a LLaMA config (${issues})`);
  }
  const c = parsed.data;
  const type = c.model_type ?? c.architectures?.[0] ?? 'unknown';
  if (type !== 'llama' && type !== 'LlamaForCausalLM') {
    throw new UnsupportedArchitectureError(
      `config.json model_type is "${type}"; this loader reads "llama" checkpoints (LLaMA, TinyLlama, SmolLM2)`,
    );
  }
  if (c.attention_bias || c.mlp_bias) {
    throw new UnsupportedArchitectureError(
      'config.json enables attention/MLP biases; LLaMA weights have none',
    );
  }
  const config = validateLlamaConfig(
    {
      dim: c.hidden_size,
      hiddenDim: c.intermediate_size,
      layers: c.num_hidden_layers,
      heads: c.num_attention_heads,
      kvHeads: c.num_key_value_heads ?? c.num_attention_heads,
      vocabSize: c.vocab_size,
      contextLength: c.max_position_embeddings,
      ropeTheta: c.rope_theta ?? 10000,
      normEps: c.rms_norm_eps ?? 1e-6,
      sharedClassifier: c.tie_word_embeddings ?? false,
      ...ropeFactorsEntry(
        ropeFactorsFromHfConfig(
          c.rope_scaling,
          c.hidden_size / c.num_attention_heads,
          c.rope_theta ?? 10000,
          c.max_position_embeddings,
        ),
      ),
    },
    'config.json',
  );
  if (c.head_dim !== undefined && c.head_dim !== headDim(config)) {
    throw new UnsupportedArchitectureError(
      `config.json head_dim ${c.head_dim} differs from hidden_size / heads = ${headDim(config)}; not supported`,
    );
  }
  return config;
}

/** Finds `name` in whichever shard holds it and checks its shape. */
function hfTensor(shards: readonly SafetensorsFile[], name: string, shape: readonly number[]): Float32Array {
  const shard = shards.find((s) => s.has(name));
  if (!shard) {
    throw new HfModelError(
      `no safetensors shard holds "${name}" (expected shape [${shape.join(', ')}]); pass every model-*.safetensors file`,
    );
  }
  const entry = shard.entries.get(name)!;
  const same = entry.shape.length === shape.length && entry.shape.every((d, i) => d === shape[i]);
  if (!same) {
    throw new HfModelError(
      `tensor "${name}" has shape [${entry.shape.join(', ')}]; config.json implies [${shape.join(', ')}]`,
    );
  }
  return shard.tensor(name);
}

/** Loads a HF LLaMA checkpoint: config.json text and its parsed safetensors shard(s). */
export function loadHfLlama(configJson: string, shards: readonly SafetensorsFile[]): LlamaWeights {
  const config = configFromHfJson(configJson);
  const shapes = layerShapes(config);
  const size = headDim(config);
  const layers = Array.from({ length: config.layers }, (_, i) => {
    const layer = {} as LlamaLayerWeights;
    for (const key of Object.keys(HF_LAYER_TENSORS) as (keyof LlamaLayerWeights)[]) {
      const values = hfTensor(shards, `model.layers.${i}.${HF_LAYER_TENSORS[key]}.weight`, shapes[key]);
      layer[key] = key === 'wq' || key === 'wk' ? hfRowsToPairRows(values, config.dim, size) : values;
    }
    return layer;
  });
  const matrix = [config.vocabSize, config.dim];
  return checkLlamaWeights({
    config,
    tokenEmbedding: hfTensor(shards, 'model.embed_tokens.weight', matrix),
    layers,
    finalNorm: hfTensor(shards, 'model.norm.weight', [config.dim]),
    // a tied model may still ship lm_head (a copy of the embedding); the embedding is used then
    classifier: config.sharedClassifier ? null : hfTensor(shards, 'lm_head.weight', matrix),
  });
}
