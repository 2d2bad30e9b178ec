/**
 * FastCpuOps as LlamaOps: a tiny random LLaMA (GQA 2/1 heads) through LlamaForward agrees with
 * CpuOps for a prefill long enough for the SIMD path and for decode steps, with and without SIMD.
 */
import { describe, it } from 'vitest';
import { FastCpuOps } from '../../src/gpu/cpu-fast/fast-cpu-ops.ts';
import { CpuOps } from '../../src/gpu/cpu-ops.ts';
import { LlamaForward } from '../../src/llm/forward.ts';
import { tinyLlamaWeights } from '../llm/tiny-llama.ts';
import { expectAllClose } from './support.ts';

describe.each([true, false])('LLaMA on FastCpuOps (simd %s) vs CpuOps', (simd) => {
  it('prefill of 9 tokens, then 3 decode steps: same logits', async () => {
    const weights = tinyLlamaWeights(17);
    const fastOps = new FastCpuOps({ simd });
    const plainOps = new CpuOps();
    const fast = new LlamaForward(fastOps, weights);
    const plain = new LlamaForward(plainOps, weights);
    const steps = [
      Int32Array.from([1, 4, 2, 9, 3, 3, 7, 0, 5]),
      Int32Array.of(6),
      Int32Array.of(2),
      Int32Array.of(8),
    ];
    for (const [i, tokens] of steps.entries()) {
      const got = await fastOps.read(fast.forward(tokens, true)); // [n, vocab]
      const want = await plainOps.read(plain.forward(tokens, true)); // [n, vocab]
      expectAllClose(got, want, 1e-4, `step ${i} logits`);
    }
  });
});
