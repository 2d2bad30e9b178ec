/**
 * tinyLlamaWeights as a Hugging Face checkpoint: config.json text and two safetensors shards with
 * HF tensor names, Wq/Wk rows in rotate-half order; plus a tiny BPE tokenizer.json of 10 tokens.
 */
import { HF_LAYER_TENSORS } from '../../src/llm/load/hf-llama.ts';
import { layerShapes, type LlamaLayerWeights, type LlamaWeights } from '../../src/llm/weights.ts';
import { writeSafetensors, type SafetensorsInput } from '../../src/protocol/safetensors.ts';
import { pairRowsToHalves } from './tiny-llama.ts';

/** config.json of TINY_CONFIG. */
export const CONFIG_JSON = JSON.stringify({
  architectures: ['LlamaForCausalLM'],
  model_type: 'llama',
  hidden_size: 8,
  intermediate_size: 12,
  num_hidden_layers: 2,
  num_attention_heads: 2,
  num_key_value_heads: 1,
  vocab_size: 10,
  max_position_embeddings: 16,
  rope_theta: 10000,
  rms_norm_eps: 1e-5,
  tie_word_embeddings: true,
  rope_scaling: null,
});

/** Our tiny weights as an HF checkpoint (q/k rows in rotate-half order), split over two shards. */
export function hfShards(weights: LlamaWeights): Uint8Array[] {
  const c = weights.config;
  const first: SafetensorsInput[] = [
    { name: 'model.embed_tokens.weight', shape: [c.vocabSize, c.dim], data: weights.tokenEmbedding },
  ];
  const second: SafetensorsInput[] = [{ name: 'model.norm.weight', shape: [c.dim], data: weights.finalNorm }];
  weights.layers.forEach((layer, i) => {
    for (const key of Object.keys(HF_LAYER_TENSORS) as (keyof LlamaLayerWeights)[]) {
      const rope = key === 'wq' || key === 'wk';
      const data = rope ? pairRowsToHalves(layer[key], c.dim, c.dim / c.heads) : layer[key];
      const shape = layerShapes(c)[key];
      (i === 0 ? first : second).push({
        name: `model.layers.${i}.${HF_LAYER_TENSORS[key]}.weight`,
        shape,
        data,
      });
    }
  });
  return [writeSafetensors(first), writeSafetensors(second)];
}

/** tokenizer.json / tokenizer_config.json texts: BPE over a, b, c with merges a+b, b+c, ab+c. */
export const TINY_TOKENIZER = {
  json: JSON.stringify({
    model: {
      type: 'BPE',
      vocab: { '<unk>': 0, '<s>': 1, '</s>': 2, a: 3, b: 4, c: 5, ab: 6, bc: 7, abc: 8, ' ': 9 },
      merges: ['a b', 'b c', 'ab c'],
    },
    added_tokens: [
      {
        id: 1,
        content: '<s>',
        special: true,
        single_word: false,
        lstrip: false,
        rstrip: false,
        normalized: false,
      },
      {
        id: 2,
        content: '</s>',
        special: true,
        single_word: false,
        lstrip: false,
        rstrip: false,
        normalized: false,
      },
    ],
    normalizer: null,
    pre_tokenizer: null,
    post_processor: null,
    decoder: null,
  }),
  config: JSON.stringify({ bos_token: '<s>', eos_token: '</s>' }),
};
