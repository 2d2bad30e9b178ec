/**
 * A tiny GGUF "qwen2" model made from tinyLlamaWeights: Wq/Wk rows re-ordered into the NEOX
 * (rotate-half) layout, so with zero biases it computes exactly what the pair-layout model does.
 */
import { seededRandom } from '../../src/eval/random.ts';
import { kvDim } from '../../src/llm/config.ts';
import type { LlamaWeights } from '../../src/llm/weights.ts';
import { f32Bytes, meta, writeGguf, type TensorSpec } from './gguf-writer.ts';
import { ggufTensors, llamaMetadata, pairRowsToHalves } from './tiny-llama.ts';

/** Options of `tinyQwen2Gguf`. */
export interface TinyQwen2Options {
  /** leave the bias tensors out (to test the loader's error) */
  dropBiases?: boolean;
}

/** GGUF qwen2 bytes of `w`; biases seeded by `biasSeed` in [-1, 1), or all zero when it is 0. */
export function tinyQwen2Gguf(w: LlamaWeights, biasSeed: number, options: TinyQwen2Options = {}): Uint8Array {
  const c = w.config;
  const headSize = c.dim / c.heads;
  const neox: LlamaWeights = {
    ...w,
    layers: w.layers.map((l) => ({
      ...l,
      wq: pairRowsToHalves(l.wq, c.dim, headSize),
      wk: pairRowsToHalves(l.wk, c.dim, headSize),
    })),
  };
  const random = seededRandom(biasSeed);
  const bias = (n: number) => Float32Array.from({ length: n }, () => (biasSeed === 0 ? 0 : random() * 2 - 1)); // [n]
  const biases: TensorSpec[] = options.dropBiases
    ? []
    : w.layers.flatMap((_, i) =>
        (
          [
            ['q', c.dim],
            ['k', kvDim(c)],
            ['v', kvDim(c)],
          ] as const
        ).map(([name, n]) => ({
          name: `blk.${i}.attn_${name}.bias`,
          shape: [n],
          typeId: 0,
          data: f32Bytes(bias(n)),
        })),
      );
  const metadata = llamaMetadata(c).map(([key, value]): [string, typeof value] =>
    key === 'general.architecture' ? [key, meta.str('qwen2')] : [key.replace(/^llama\./, 'qwen2.'), value],
  );
  return writeGguf(metadata, [...ggufTensors(neox), ...biases]);
}
