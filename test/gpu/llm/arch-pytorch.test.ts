import { describe, expect, it } from 'vitest';
import { adapterName, gpuOps, noGpu } from '../support.ts';
import { ARCH_CASES, archLogits, worstDifference } from '../../llm/arch-goldens.ts';

describe.skipIf(noGpu)(`LLaMA-class GGUF families vs PyTorch on WebGPU (${adapterName})`, () => {
  it.each(ARCH_CASES.map((c) => [c.fixture.name, c] as const))(
    '%s (TinyLlama GQA / Llama 3 + SmolLM2 tied + rope_freqs / Qwen2 biases + NEOX): prefill and cached decode within 1e-4',
    async (_name, c) => {
      const { prefill, stepwise } = await archLogits(gpuOps, c);
      expect(worstDifference(prefill, c.golden.logits)).toBeLessThan(1e-4);
      expect(worstDifference(stepwise, c.golden.logits)).toBeLessThan(1e-4);
    },
  );
});
