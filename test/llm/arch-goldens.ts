/**
 * The random-weight GGUF of each LLaMA-class family (models/tools/random-arch-fixtures.ts: TinyLlama
 * GQA, Llama 3 / SmolLM2 tied + rope_freqs, Qwen2 biases + NEOX) against the logits an independent
 * PyTorch implementation computed from the same bytes (models/train/llama_ref.py --gguf →
 * test/fixtures/llm/arch-pytorch.json). Shared by the CPU and WebGPU tests.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ARCH_FIXTURES, archFixtureGguf, type ArchFixture } from '../../models/tools/random-arch-fixtures.ts';
import type { LlamaOps, Tensor } from '../../src/gpu/ops.ts';
import { LlamaForward } from '../../src/llm/forward.ts';
import { loadGgufLlama } from '../../src/llm/load/gguf-llama.ts';

/** One file's goldens: its sha256, the prompt ids and the logits [n, vocab]. */
export interface ArchGolden {
  name: string;
  sha256: string;
  tokens: number[];
  logits: number[][];
}

const goldens = (
  JSON.parse(readFileSync(new URL('../fixtures/llm/arch-pytorch.json', import.meta.url), 'utf8')) as {
    files: ArchGolden[];
  }
).files;

/** Each fixture with its bytes (rebuilt from the seed) and its PyTorch goldens. */
export const ARCH_CASES = ARCH_FIXTURES.map((fixture) => {
  const golden = goldens.find((g) => g.name === `${fixture.name}.gguf`);
  if (!golden) throw new Error(`arch-pytorch.json has no ${fixture.name}.gguf: re-run llama_ref.py --gguf`);
  return { fixture, golden, bytes: archFixtureGguf(fixture) };
});

/** sha256 hex of `bytes` (the goldens must be of these exact bytes). */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Largest |ours − golden| over logits [n, vocab] (flat) vs the golden rows. */
export function worstDifference(got: Float32Array, want: readonly number[][]): number {
  const vocab = want[0].length;
  let worst = 0;
  want.forEach((row, r) =>
    row.forEach((v, c) => (worst = Math.max(worst, Math.abs(got[r * vocab + c] - v)))),
  );
  return worst;
}

/**
 * Our logits for the golden prompt on `ops`: one prefill of all tokens [n, vocab], and the same
 * tokens fed one at a time through the KV cache [n, vocab].
 */
export async function archLogits<T extends Tensor>(
  ops: LlamaOps<T>,
  c: { fixture: ArchFixture; golden: ArchGolden; bytes: Uint8Array },
): Promise<{ prefill: Float32Array; stepwise: Float32Array }> {
  const { weights } = loadGgufLlama(c.bytes, { keepQuantized: true });
  const ids = Int32Array.from(c.golden.tokens); // [n]
  const model = new LlamaForward(ops, weights, { capacity: ids.length + 4 });
  const prefill = await ops.read(model.forward(ids, true)); // [n, vocab]
  const vocab = weights.config.vocabSize;
  const stepwise = new Float32Array(ids.length * vocab); // [n, vocab]
  model.reset();
  for (let i = 0; i < ids.length; i++)
    stepwise.set(await ops.read(model.forward(ids.subarray(i, i + 1))), i * vocab);
  model.dispose();
  return { prefill, stepwise };
}
