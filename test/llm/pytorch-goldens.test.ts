import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { noStories, storiesFile } from './stories-files.ts';
import { CpuOps } from '../../src/gpu/cpu-ops.ts';
import { LlamaForward } from '../../src/llm/forward.ts';
import { loadLlama2c } from '../../src/llm/load/llama2c.ts';

/** Written by models/train/llama_ref.py (an independent PyTorch implementation) from stories260K.bin. */
interface PytorchGoldens {
  prompts: { tokens: number[]; logits: number[][] }[]; // logits [n, vocab] per prompt
  greedy_from_bos: number[]; // [60]
}

const goldens = JSON.parse(
  readFileSync(new URL('../fixtures/llm/stories260K-pytorch.json', import.meta.url), 'utf8'),
) as PytorchGoldens;

describe.skipIf(noStories)('stories260K on CpuOps matches the PyTorch reference', () => {
  it.each(goldens.prompts.map((p, i) => [i, p] as const))(
    'prompt %i: logits at every position within 1e-4',
    async (_i, prompt) => {
      const ops = new CpuOps();
      const model = new LlamaForward(ops, loadLlama2c(storiesFile('stories260K.bin')).weights, {
        capacity: 32,
      });
      const got = await ops.read(model.forward(Int32Array.from(prompt.tokens), true)); // [n, vocab]
      const vocab = prompt.logits[0].length;
      let worst = 0;
      prompt.logits.forEach((row, r) =>
        row.forEach((want, c) => (worst = Math.max(worst, Math.abs(got[r * vocab + c] - want)))),
      );
      expect(worst).toBeLessThan(1e-4);
    },
  );

  it('greedy tokens from BOS equal the PyTorch greedy tokens', async () => {
    const ops = new CpuOps();
    const model = new LlamaForward(ops, loadLlama2c(storiesFile('stories260K.bin')).weights, {
      capacity: 64,
    });
    const tokens: number[] = [];
    let next = 1;
    for (let step = 0; step < goldens.greedy_from_bos.length; step++) {
      const logits = model.forward(Int32Array.of(next)); // [1, vocab]
      next = (await ops.topK(logits, 1, new Int32Array(0))).ids[0];
      tokens.push(next);
    }
    expect(tokens).toEqual(goldens.greedy_from_bos);
  });
});
