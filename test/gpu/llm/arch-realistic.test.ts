/**
 * The real shapes of the small models users bring, as random Q4_0 GGUFs (2 layers each), loaded
 * with keepQuantized and run on WebGPU against CpuOps on the dequantised weights (prefill and one
 * cached decode step). TinyLlama's shape (dim 2048, 32/4 heads… here 32/8, vocab 32000) is
 * quant-realistic.test.ts; these add the odd head counts and head dim 64 of
 * - SmolLM2-135M: dim 576, 9 heads / 3 kv heads, hidden 1536, vocab 49152, tied (llama arch);
 * - Qwen2.5-0.5B: dim 896, 14 heads / 2 kv heads, hidden 4864, tied, q/k/v biases, NEOX rope,
 *   theta 1e6 — with vocab 32000 instead of 151936 so the CPU reference stays ~0.3 GB.
 */
import { describe, expect, it } from 'vitest';
import { adapterName, expectClose, gpuOps, noGpu } from '../support.ts';
import { CpuOps } from '../../../src/gpu/cpu-ops.ts';
import type { LlamaOps, Tensor } from '../../../src/gpu/ops.ts';
import type { LlamaConfig } from '../../../src/llm/config.ts';
import { LlamaForward } from '../../../src/llm/forward.ts';
import { loadGgufLlama } from '../../../src/llm/load/gguf-llama.ts';
import { randomQ4Gguf, type RandomArchitecture } from '../../../src/llm/random-model.ts';
import type { LlamaWeights, WeightMatrix } from '../../../src/llm/weights.ts';

const SHAPES: [string, RandomArchitecture, LlamaConfig][] = [
  [
    'SmolLM2-135M',
    'llama',
    {
      dim: 576,
      hiddenDim: 1536,
      layers: 2,
      heads: 9,
      kvHeads: 3,
      vocabSize: 49152,
      contextLength: 64,
      ropeTheta: 100000,
      normEps: 1e-5,
      sharedClassifier: true,
    },
  ],
  [
    'Qwen2.5-0.5B',
    'qwen2',
    {
      dim: 896,
      hiddenDim: 4864,
      layers: 2,
      heads: 14,
      kvHeads: 2,
      vocabSize: 32000,
      contextLength: 64,
      ropeTheta: 1e6,
      normEps: 1e-6,
      sharedClassifier: true,
    },
  ],
];

/** Prefill logits [3, vocab] and one decode step [1, vocab]. */
async function run<T extends Tensor>(
  ops: LlamaOps<T>,
  weights: LlamaWeights<WeightMatrix>,
): Promise<[Float32Array, Float32Array]> {
  const model = new LlamaForward(ops, weights, { capacity: 8 });
  const prefill = await ops.read(model.forward(Int32Array.of(1, 4242, 17), true));
  const decode = await ops.read(model.forward(Int32Array.of(7)));
  model.dispose();
  return [prefill, decode];
}

describe.skipIf(noGpu)(`realistic shapes of user models, random Q4_0, on WebGPU (${adapterName})`, () => {
  it.each(SHAPES)('%s (%s) loads and matches the CPU reference', async (_name, arch, config) => {
    const { weights } = loadGgufLlama(randomQ4Gguf(config, null, 576, arch), { keepQuantized: true });
    expect(weights.config.neoxRope ?? false).toBe(arch === 'qwen2');
    expect(weights.attentionBiases !== undefined).toBe(arch === 'qwen2');
    expect(weights.layers[0].wq instanceof Float32Array).toBe(false); // Q4_0 blocks on the GPU
    const [wantPrefill, wantDecode] = await run(new CpuOps(), weights);
    const [gotPrefill, gotDecode] = await run(gpuOps, weights);
    gpuOps.pool.trim();
    expect(wantPrefill.reduce((m, v) => Math.max(m, Math.abs(v)), 0)).toBeGreaterThan(0.5); // not degenerate
    expectClose('prefill logits', gotPrefill, wantPrefill, 1e-4, 1e-5);
    expectClose('decode logits', gotDecode, wantDecode, 1e-4, 1e-5);
  });
});
