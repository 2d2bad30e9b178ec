/**
 * A random Q4_0 LLaMA of realistic shape (dim 2048, 32 heads, 8 kv heads, hidden 5632, vocab
 * 32000, 2 layers; ≈ 87 MB) written with our GGUF writer, loaded with keepQuantized and run on
 * WebGPU through the split-buffer path (weight bindings capped at 4 MiB, so ffn matrices take 2
 * bindings and the tied 32000-row classifier 9), against CpuOps on the dequantised weights.
 */
import { describe, expect, it } from 'vitest';
import { adapterName, expectClose, gpuOps, noGpu, seededRandom } from '../support.ts';
import { GpuOps } from '../../../src/gpu/gpu-ops.ts';
import { CpuOps } from '../../../src/gpu/cpu-ops.ts';
import type { LlamaConfig } from '../../../src/llm/config.ts';
import { LlamaForward } from '../../../src/llm/forward.ts';
import { LAYER_TENSORS, loadGgufLlama } from '../../../src/llm/load/gguf-llama.ts';
import { writeGguf, type GgufTensorToWrite } from '../../../src/llm/load/gguf-write.ts';
import { f32ToF16 } from '../../../src/llm/quant.ts';
import { llamaGgufMetadata } from '../../../src/llm/quantize-model.ts';
import { layerShapes, type LlamaLayerWeights } from '../../../src/llm/weights.ts';
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

/** Random Q4_0 blocks [rows · cols/32 · 18]: uniform nibbles, f16 scales in [0.003, 0.007). */
function randomQ4Blocks(random: () => number, count: number): Uint8Array {
  const blocks = count / 32;
  const bytes = new Uint8Array(blocks * 18); // [blocks · 18]
  const words = new Uint32Array(4); // [4] 16 nibble bytes
  const asBytes = new Uint8Array(words.buffer);
  for (let b = 0; b < blocks; b++) {
    const scale = f32ToF16(0.003 + 0.004 * random());
    bytes[b * 18] = scale & 0xff;
    bytes[b * 18 + 1] = scale >> 8;
    for (let i = 0; i < 4; i++) words[i] = random() * 2 ** 32;
    bytes.set(asBytes, b * 18 + 2);
  }
  return bytes;
}

/** The GGUF file: norms F32 near 1, every matrix random Q4_0 (tied classifier). */
function realisticGguf(): Uint8Array {
  const random = seededRandom(2048);
  const norm = (name: string): GgufTensorToWrite => {
    const values = Float32Array.from({ length: CONFIG.dim }, () => 0.9 + 0.2 * random()); // [dim]
    return { name, shape: [CONFIG.dim], type: 'F32', bytes: new Uint8Array(values.buffer) };
  };
  const matrix = (name: string, shape: readonly number[]): GgufTensorToWrite => ({
    name,
    shape,
    type: 'Q4_0',
    bytes: randomQ4Blocks(random, shape[0] * shape[1]),
  });
  const shapes = layerShapes(CONFIG);
  const tensors = [matrix('token_embd.weight', [CONFIG.vocabSize, CONFIG.dim]), norm('output_norm.weight')];
  for (let i = 0; i < CONFIG.layers; i++) {
    for (const key of Object.keys(LAYER_TENSORS) as (keyof LlamaLayerWeights)[]) {
      const name = `blk.${i}.${LAYER_TENSORS[key]}.weight`;
      tensors.push(shapes[key].length === 1 ? norm(name) : matrix(name, shapes[key]));
    }
  }
  return writeGguf(llamaGgufMetadata(CONFIG, null, 'Q4_0', 'random-q4'), tensors);
}

describe.skipIf(noGpu)(`realistic random Q4_0 model on WebGPU (${adapterName})`, () => {
  it('prefill and one decode step through split bindings match the CPU reference logits', async () => {
    const bytes = realisticGguf();
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
