import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/eval/random.ts';
import { CpuOps } from '../../src/gpu/cpu-ops.ts';
import { ropeReference } from '../../src/gpu/reference/rope.ts';
import { LlamaForward } from '../../src/llm/forward.ts';
import { HfModelError, UnsupportedArchitectureError } from '../../src/llm/load/errors.ts';
import { configFromHfJson, loadHfLlama } from '../../src/llm/load/hf-llama.ts';
import type { LlamaWeights } from '../../src/llm/weights.ts';
import { parseSafetensors } from '../../src/protocol/safetensors.ts';
import { TINY_CONFIG, pairRowsToHalves, tinyLlamaWeights } from './tiny-llama.ts';
import { CONFIG_JSON, hfShards } from './tiny-hf.ts';

/** Hugging Face's rotary embedding on one head vector: rotate_half pairs (i, i + half). */
function hfRope(q: Float32Array, position: number, theta: number): Float32Array {
  const half = q.length / 2;
  const out = new Float32Array(q.length); // [headSize]
  for (let i = 0; i < half; i++) {
    const angle = position / theta ** ((2 * i) / q.length);
    out[i] = q[i] * Math.cos(angle) - q[i + half] * Math.sin(angle);
    out[i + half] = q[i + half] * Math.cos(angle) + q[i] * Math.sin(angle);
  }
  return out;
}

describe('Hugging Face LLaMA checkpoints', () => {
  const weights = tinyLlamaWeights(21);

  it('reads config.json into our config', () => {
    expect(configFromHfJson(CONFIG_JSON)).toEqual(TINY_CONFIG);
  });

  it('q rows permuted per head: our pair rope of the loaded Wq·x equals HF rotate-half rope, re-ordered', () => {
    const loaded = loadHfLlama(CONFIG_JSON, hfShards(weights).map(parseSafetensors));
    const hfWq = pairRowsToHalves(weights.layers[0].wq, 8, 4); // [8, 8] as HF stores it
    const random = seededRandom(5);
    const x = Float32Array.from({ length: 8 }, () => random() * 2 - 1); // [dim]
    const times = (w: Float32Array) =>
      Float32Array.from({ length: 8 }, (_, r) => x.reduce((s, v, k) => s + v * w[r * 8 + k], 0)); // [8]
    const position = 3;
    const ours = ropeReference(times(loaded.layers[0].wq), 1, 8, {
      headDim: 4,
      positionStart: position,
      theta: 1e4,
    });
    const hfQ = times(hfWq); // [2 heads · 4]
    for (let head = 0; head < 2; head++) {
      const rotated = hfRope(hfQ.subarray(head * 4, head * 4 + 4), position, 1e4); // [4]
      // pair i member j (ours at 2i + j) is HF's j·half + i
      for (let i = 0; i < 2; i++) {
        for (let j = 0; j < 2; j++) expect(ours[head * 4 + 2 * i + j]).toBeCloseTo(rotated[j * 2 + i], 6);
      }
    }
  });

  it('loads the same model as our layout: identical logits from the shards', () => {
    const loaded = loadHfLlama(CONFIG_JSON, hfShards(weights).map(parseSafetensors));
    expect(loaded.layers[1].wk).toEqual(weights.layers[1].wk);
    const ops = new CpuOps();
    const ids = Int32Array.from([1, 4, 2, 9]);
    const run = (w: LlamaWeights) => ops.read(new LlamaForward(ops, w, { capacity: 8 }).forward(ids, true));
    expect(run(loaded)).toEqual(run(weights)); // [4, vocab]
  });

  it('names missing tensors, wrong shapes and unsupported configs', () => {
    const [first] = hfShards(weights).map(parseSafetensors);
    expect(() => loadHfLlama(CONFIG_JSON, [first])).toThrow(
      /no safetensors shard holds "model.layers.1.input_layernorm.weight"/,
    );
    const wide = CONFIG_JSON.replace('"intermediate_size":12', '"intermediate_size":16');
    expect(() => loadHfLlama(wide, hfShards(weights).map(parseSafetensors))).toThrow(
      /mlp.gate_proj.weight" has shape \[12, 8\]; config.json implies \[16, 8\]/,
    );
    expect(() => configFromHfJson('{')).toThrow(HfModelError);
    expect(() => configFromHfJson('{"hidden_size": 8}')).toThrow(/intermediate_size/);
    const qwen = CONFIG_JSON.replace('"model_type":"llama"', '"model_type":"qwen2"');
    expect(() => configFromHfJson(qwen)).toThrow(UnsupportedArchitectureError);
    const yarn = CONFIG_JSON.replace('"rope_scaling":null', '"rope_scaling":{"rope_type":"yarn","factor":4}');
    expect(() => configFromHfJson(yarn)).toThrow(/rope_scaling: rope scaling "yarn" is not supported/);
    const llama3 = CONFIG_JSON.replace(
      '"rope_scaling":null',
      '"rope_scaling":{"rope_type":"llama3","factor":8,"original_max_position_embeddings":16}',
    );
    expect(configFromHfJson(llama3).ropeFactors?.length).toBe(2); // one per pair of a 4-wide head
  });
});
