import { describe, expect, it } from 'vitest';
import { adapterName, expectClose, gpuOps, noGpu } from '../support.ts';
import { CpuOps } from '../../../src/gpu/cpu-ops.ts';
import { FastCpuOps } from '../../../src/gpu/cpu-fast/fast-cpu-ops.ts';
import type { LlamaOps, Tensor } from '../../../src/gpu/ops.ts';
import { LlamaForward } from '../../../src/llm/forward.ts';
import { loadGgufLlama } from '../../../src/llm/load/gguf-llama.ts';
import type { LlamaWeights } from '../../../src/llm/weights.ts';
import { tinyLlamaWeights, TINY_CONFIG } from '../../llm/tiny-llama.ts';
import { tinyQwen2Gguf } from '../../llm/tiny-qwen2.ts';

/** A wider tiny model: 4 heads of 8 over 2 kv heads, so NEOX halves span 4 columns. */
const CONFIG = {
  ...TINY_CONFIG,
  dim: 32,
  hiddenDim: 48,
  heads: 4,
  kvHeads: 2,
  vocabSize: 40,
  contextLength: 32,
};

/** Prefill logits [4, vocab] then one decode step [1, vocab] on `ops`. */
async function run<T extends Tensor>(ops: LlamaOps<T>, weights: LlamaWeights): Promise<Float32Array[]> {
  const model = new LlamaForward(ops, weights, { capacity: 8 });
  const prefill = await ops.read(model.forward(Int32Array.of(1, 7, 39, 2), true));
  const decode = await ops.read(model.forward(Int32Array.of(5)));
  model.dispose();
  return [prefill, decode];
}

describe.skipIf(noGpu)(`qwen2 (NEOX rope + q/k/v biases) on WebGPU (${adapterName})`, () => {
  it('prefill and decode logits match CpuOps; FastCpuOps too', async () => {
    const weights = loadGgufLlama(tinyQwen2Gguf(tinyLlamaWeights(77, CONFIG), 5)).weights;
    expect(weights.config.neoxRope).toBe(true);
    const want = await run(new CpuOps(), weights);
    const gpu = await run(gpuOps, weights);
    const fast = await run(new FastCpuOps(), weights);
    want.forEach((w, i) => {
      expectClose(`gpu step ${i}`, gpu[i], w, 1e-4, 1e-4);
      expectClose(`fast step ${i}`, fast[i], w, 1e-5, 1e-5);
    });
  });
});
