/**
 * Shared by the stories260K quantisation acceptance tests (CPU and WebGPU): the model quantised in
 * memory with `quantizeModelFile`, and per-token NLL of a fixed text.
 */
import type { LlamaOps, Tensor } from '../../src/gpu/ops.ts';
import { LlamaForward } from '../../src/llm/forward.ts';
import { loadGgufLlama } from '../../src/llm/load/gguf-llama.ts';
import { quantizeModelFile, type EmbeddingPolicy, type QuantScheme } from '../../src/llm/quantize-model.ts';
import type { LlamaWeights, WeightMatrix } from '../../src/llm/weights.ts';
import { storiesFile } from './stories-files.ts';

/** The fixed text NLL is measured on (not the model's own greedy output). */
export const NLL_TEXT =
  'Tom had a small red boat. Every morning he took it to the pond and watched it float. ' +
  'One day the wind was strong and the boat went far away. Tom was sad, but his friend Sue helped him get it back.';

/** stories260K.bin quantised in memory (tok512 embedded), loaded with its blocks kept. */
export function quantizedStories(
  scheme: QuantScheme,
  embeddings?: EmbeddingPolicy,
): LlamaWeights<WeightMatrix> {
  const { bytes } = quantizeModelFile(storiesFile('stories260K.bin'), {
    scheme,
    embeddings,
    tokenizer: storiesFile('tok512.bin'),
  });
  return loadGgufLlama(bytes, { keepQuantized: true }).weights;
}

/** Mean −log p(token i+1 | tokens ≤ i) over `ids` (one prefill with every position's logits). */
export async function meanNll<T extends Tensor>(
  ops: LlamaOps<T>,
  weights: LlamaWeights<WeightMatrix>,
  ids: Int32Array,
): Promise<number> {
  const model = new LlamaForward(ops, weights, { capacity: ids.length });
  const logits = await ops.read(model.forward(ids, true)); // [n, vocab]
  model.dispose();
  const vocab = weights.config.vocabSize;
  let total = 0;
  for (let i = 0; i + 1 < ids.length; i++) {
    const row = logits.subarray(i * vocab, (i + 1) * vocab);
    const max = Math.max(...row);
    let sum = 0;
    for (const v of row) sum += Math.exp(v - max);
    total += Math.log(sum) + max - row[ids[i + 1]];
  }
  return total / (ids.length - 1);
}
