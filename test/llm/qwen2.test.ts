import { describe, expect, it } from 'vitest';
import { CpuOps } from '../../src/gpu/cpu-ops.ts';
import { LlamaForward } from '../../src/llm/forward.ts';
import { UnsupportedArchitectureError } from '../../src/llm/load/errors.ts';
import { loadGgufLlama } from '../../src/llm/load/gguf-llama.ts';
import { llamaTensors } from '../../src/llm/quantize-model.ts';
import type { LlamaWeights } from '../../src/llm/weights.ts';
import { tinyQwen2Gguf } from './tiny-qwen2.ts';
import { ggufTensors, llamaMetadata, tinyLlamaGguf, tinyLlamaWeights, TINY_CONFIG } from './tiny-llama.ts';
import { f32Bytes, meta, writeGguf } from './gguf-writer.ts';

const IDS = Int32Array.from([3, 1, 4, 1, 5, 9]);

async function logits(weights: LlamaWeights): Promise<Float32Array> {
  const ops = new CpuOps();
  return ops.read(new LlamaForward(ops, weights, { capacity: 8 }).forward(IDS, true)); // [6, vocab]
}

describe('GGUF qwen2 (NEOX rope, q/k/v biases)', () => {
  const weights = tinyLlamaWeights(31);

  it('loads neoxRope and zero biases; with Wq/Wk in rotate-half order it equals the pair-layout model', async () => {
    const loaded = loadGgufLlama(tinyQwen2Gguf(weights, 0)).weights;
    expect(loaded.config.neoxRope).toBe(true);
    expect(loaded.attentionBiases?.[1].k).toEqual(new Float32Array(4));
    const [want, got] = [await logits(weights), await logits(loaded)];
    got.forEach((v, i) => expect(v).toBeCloseTo(want[i], 5));
  });

  it('loads non-zero biases and applies them (logits change; GPU parity in test/gpu/llm/qwen2.test.ts)', async () => {
    const biased = loadGgufLlama(tinyQwen2Gguf(weights, 7)).weights;
    expect(biased.attentionBiases?.[0].q.some((v) => v !== 0)).toBe(true);
    const plain = await logits(loadGgufLlama(tinyQwen2Gguf(weights, 0)).weights);
    expect((await logits(biased)).some((v, i) => Math.abs(v - plain[i]) > 1e-3)).toBe(true);
  });

  it('names missing bias tensors, other architectures, and refuses to re-write qwen2 as llama', () => {
    expect(() => loadGgufLlama(tinyQwen2Gguf(weights, 0, { dropBiases: true }))).toThrow(/blk.0.attn_q.bias/);
    const phi = tinyLlamaGguf(weights, [['general.architecture', meta.str('phi3')]]);
    expect(() => loadGgufLlama(phi)).toThrow(UnsupportedArchitectureError);
    const qwen = loadGgufLlama(tinyQwen2Gguf(weights, 0)).weights;
    expect(() => llamaTensors(qwen)).toThrow(/qwen2 models .* cannot be re-written/);
  });

  it('refuses, by name, a tensor outside the llama / qwen2 layout (e.g. an output-projection bias)', () => {
    const plain = tinyLlamaGguf(weights);
    expect(loadGgufLlama(plain).weights.attentionBiases).toBeUndefined();
    const bias = { name: 'blk.1.attn_output.bias', shape: [TINY_CONFIG.dim], typeId: 0 };
    const extra = writeGguf(llamaMetadata(TINY_CONFIG), [
      ...ggufTensors(weights),
      { ...bias, data: f32Bytes(new Float32Array(TINY_CONFIG.dim)) },
    ]);
    expect(() => loadGgufLlama(extra)).toThrow(UnsupportedArchitectureError);
    expect(() => loadGgufLlama(extra)).toThrow(
      /"blk.1.attn_output.bias" is not part of the llama \/ qwen2 layout/,
    );
  });
});
