/**
 * A random Q4_0 LLaMA of realistic shape (dim 2048, 32 heads, 8 kv heads, hidden 5632, vocab
 * 32000, 2 layers; ≈ 87 MB) written with our GGUF writer, loaded with keepQuantized and run on
 * WebGPU through the split-buffer path (weight bindings capped at 4 MiB, so ffn matrices take 2
 * bindings and the tied 32000-row classifier 9), against CpuOps on the dequantised weights.
 */
import { describe, expect, it } from 'vitest';
import { adapterName, expectClose, gpuOps, noGpu } from '../support.ts';
import { GpuOps } from '../../../src/gpu/gpu-ops.ts';
import { CpuOps } from '../../../src/gpu/cpu-ops.ts';
import type { LlamaConfig } from '../../../src/llm/config.ts';
import { LlamaForward } from '../../../src/llm/forward.ts';
import { loadGgufLlama } from '../../../src/llm/load/gguf-llama.ts';
import { randomQ4Gguf } from '../../../src/llm/random-model.ts';
import { planRowChunks } from '../../../src/gpu/kernels/matvec_q.ts';

const CONFIG: LlamaConfig = {
  dim: 2048,
  hiddenDim: 5632,
  layers: 2,
  heads: 32,
  kvHeads: 8,
  vocabSize: 32000,
  contextLength: 64,
  ropeTheta: 10000,
  normEps: 1e-5,
  sharedClassifier: true,
};

describe.skipIf(noGpu)(`realistic random Q4_0 model on WebGPU (${adapterName})`, () => {
  it('prefill and one decode step through split bindings match the CPU reference logits', async () => {
    const bytes = randomQ4Gguf(CONFIG, null, 2048);
    const { weights } = loadGgufLlama(bytes, { keepQuantized: true });
    expect(weights.layers[0].w1 instanceof Float32Array).toBe(false); // kept as Q4_0 blocks
    const prompt = Int32Array.of(1, 31999, 42);
    const cpu = new CpuOps();
    const reference = new LlamaForward(cpu, weights, { capacity: 8 });
    const wantPrefill = await cpu.read(reference.forward(prompt, true)); // [3, vocab]
    const wantDecode = await cpu.read(reference.forward(Int32Array.of(7))); // [1, vocab]
    reference.dispose();

    const limit = 4 << 20;
    expect(planRowChunks('Q4_0', CONFIG.vocabSize, CONFIG.dim, limit).length).toBe(9);
    expect(planRowChunks('Q4_0', CONFIG.hiddenDim, CONFIG.dim, limit).length).toBe(2);
    const split = new GpuOps(gpuOps.context, { maxWeightBindingBytes: limit });
    const model = new LlamaForward(split, weights, { capacity: 8 });
    const gotPrefill = await split.read(model.forward(prompt, true));
    const gotDecode = await split.read(model.forward(Int32Array.of(7)));
    model.dispose();
    split.pool.trim();
    const spread = Math.max(...wantPrefill.map(Math.abs));
    expect(spread).toBeGreaterThan(1); // logits are not degenerate
    let worst = 0;
    gotPrefill.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - wantPrefill[i]))));
    console.log(
      `realistic Q4_0: max |logit| ${spread.toFixed(2)}, worst prefill difference ${worst.toExponential(2)}`,
    );
    expectClose('prefill logits', gotPrefill, wantPrefill, 1e-4, 1e-5);
    expectClose('decode logits', gotDecode, wantDecode, 1e-4, 1e-5);
  });
});
