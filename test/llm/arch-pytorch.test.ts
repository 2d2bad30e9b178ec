import { describe, expect, it } from 'vitest';
import { CpuOps } from '../../src/gpu/cpu-ops.ts';
import { FastCpuOps } from '../../src/gpu/cpu-fast/fast-cpu-ops.ts';
import { loadGgufLlama } from '../../src/llm/load/gguf-llama.ts';
import { ARCH_CASES, archLogits, sha256Hex, worstDifference } from './arch-goldens.ts';

describe('LLaMA-class GGUF families vs an independent PyTorch implementation (CPU)', () => {
  it.each(ARCH_CASES.map((c) => [c.fixture.name, c] as const))(
    '%s: the rebuilt file is the one PyTorch read, and it loads with its family features',
    (_name, c) => {
      expect(sha256Hex(c.bytes)).toBe(c.golden.sha256);
      const { config, attentionBiases, classifier } = loadGgufLlama(c.bytes).weights;
      expect(config.heads / config.kvHeads).toBeGreaterThan(1); // GQA in every family
      expect(config.neoxRope ?? false).toBe(c.fixture.arch === 'qwen2');
      expect(attentionBiases !== undefined).toBe(c.fixture.biases);
      expect(classifier === null).toBe(c.fixture.config.sharedClassifier);
      expect(config.ropeFactors ? Array.from(config.ropeFactors) : undefined).toEqual(c.fixture.ropeFreqs);
      expect(config.ropeTheta).toBe(c.fixture.config.ropeTheta);
    },
  );

  it.each(ARCH_CASES.map((c) => [c.fixture.name, c] as const))(
    '%s: CpuOps and FastCpuOps logits (prefill and cached decode) within 1e-4 of PyTorch',
    async (_name, c) => {
      for (const ops of [new CpuOps(), new FastCpuOps()]) {
        const { prefill, stepwise } = await archLogits(ops, c);
        expect(worstDifference(prefill, c.golden.logits), ops.constructor.name).toBeLessThan(1e-4);
        expect(worstDifference(stepwise, c.golden.logits), ops.constructor.name).toBeLessThan(1e-4);
      }
    },
  );
});
