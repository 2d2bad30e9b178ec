/**
 * `tsx models/tools/random-arch-fixtures.ts [--out /tmp/localrec-arch]`
 *
 * Writes one small seeded random-weight F32 GGUF per LLaMA-class layout a user may bring, each
 * with the features of its family (what the runtime must get right), for the independent PyTorch
 * check (models/train/llama_ref.py --gguf … writes test/fixtures/llm/arch-pytorch.json):
 * - tinyllama: architecture "llama", GQA 4 heads / 1 kv head (TinyLlama 32/4), separate output head;
 * - llama3-smollm: "llama", tied embeddings (no output.weight), 6 heads / 2 kv heads (SmolLM2's
 *   9/3 is an odd head count too), rope theta 500000 and Llama 3.x's rope_freqs.weight divisors;
 * - llama-bias: "llama" with the optional q/k/v biases (pair rope, separate head);
 * - qwen2: "qwen2", q/k/v biases, NEOX (rotate-half) rope, tied embeddings, theta 1e6, eps 1e-6.
 * Weights are uniform in ±1/√(fan-in), norms in [0.8, 1.2), so the logits stay near 1 in size.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { seededRandom } from '../../src/eval/random.ts';
import { headDim, type LlamaConfig } from '../../src/llm/config.ts';
import { LAYER_TENSORS } from '../../src/llm/load/gguf-llama.ts';
import { writeGguf, type GgufTensorToWrite } from '../../src/llm/load/gguf-write.ts';
import { asArchitecture, randomBiases } from '../../src/llm/random-model.ts';
import { llamaGgufMetadata } from '../../src/llm/quantize-model.ts';
import { layerShapes, type LlamaLayerWeights } from '../../src/llm/weights.ts';
import { CliArgs } from './cli-args.ts';

const USAGE = 'usage: tsx models/tools/random-arch-fixtures.ts [--out /tmp/localrec-arch]';

/** One fixture: its file name, architecture, shape and family features. */
export interface ArchFixture {
  name: string;
  arch: 'llama' | 'qwen2';
  config: LlamaConfig;
  /** write blk.N.attn_{q,k,v}.bias (qwen2) */
  biases: boolean;
  /** write rope_freqs.weight with these per-pair divisors [headDim/2] (Llama 3.x) */
  ropeFreqs?: number[];
  seed: number;
}

const BASE: LlamaConfig = {
  dim: 48,
  hiddenDim: 96,
  layers: 2,
  heads: 4,
  kvHeads: 1,
  vocabSize: 64,
  contextLength: 64,
  ropeTheta: 10000,
  normEps: 1e-5,
  sharedClassifier: false,
};

/** The fixtures (rebuilt from their seeds by the tests; only the goldens are committed). */
export const ARCH_FIXTURES: readonly ArchFixture[] = [
  { name: 'tinyllama', arch: 'llama', config: BASE, biases: false, seed: 301 },
  {
    name: 'llama3-smollm',
    arch: 'llama',
    config: { ...BASE, heads: 6, kvHeads: 2, ropeTheta: 500000, sharedClassifier: true },
    biases: false,
    // headDim 8 → 4 pairs: high frequencies kept, low ones divided (as Llama 3.1's "llama3" does)
    ropeFreqs: [1, 1, 2.5, 8],
    seed: 302,
  },
  // a "llama" file with the optional q/k/v biases llama.cpp loads for that architecture
  { name: 'llama-bias', arch: 'llama', config: { ...BASE, kvHeads: 2 }, biases: true, seed: 304 },
  {
    name: 'qwen2',
    arch: 'qwen2',
    config: { ...BASE, kvHeads: 2, ropeTheta: 1e6, normEps: 1e-6, sharedClassifier: true },
    biases: true,
    seed: 303,
  },
];

/** GGUF bytes of one fixture. */
export function archFixtureGguf(f: ArchFixture): Uint8Array {
  const c = f.config;
  const random = seededRandom(f.seed);
  const f32 = (name: string, shape: number[], value: () => number): GgufTensorToWrite => {
    const values = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, value); // [shape]
    return { name, shape, type: 'F32', bytes: new Uint8Array(values.buffer) };
  };
  const factors = Float32Array.from(f.ropeFreqs ?? []); // [headDim/2]
  const norm = (name: string) => f32(name, [c.dim], () => 0.8 + 0.4 * random());
  const matrix = (name: string, [rows, cols]: number[]) =>
    f32(name, [rows, cols], () => (random() * 2 - 1) / Math.sqrt(cols));
  const tensors = [matrix('token_embd.weight', [c.vocabSize, c.dim]), norm('output_norm.weight')];
  if (!c.sharedClassifier) tensors.push(matrix('output.weight', [c.vocabSize, c.dim]));
  if (factors.length > 0) {
    if (factors.length !== headDim(c) / 2) throw new Error(`${f.name}: ${factors.length} rope factors`);
    tensors.push({
      name: 'rope_freqs.weight',
      shape: [factors.length],
      type: 'F32',
      bytes: new Uint8Array(factors.buffer),
    });
  }
  const shapes = layerShapes(c);
  for (let i = 0; i < c.layers; i++) {
    for (const key of Object.keys(LAYER_TENSORS) as (keyof LlamaLayerWeights)[]) {
      const name = `blk.${i}.${LAYER_TENSORS[key]}.weight`;
      tensors.push(shapes[key].length === 1 ? norm(name) : matrix(name, shapes[key]));
    }
  }
  if (f.biases) tensors.push(...randomBiases(c, random));
  return writeGguf(asArchitecture(llamaGgufMetadata(c, null, 'F32', `random-${f.name}`), f.arch), tensors);
}

function main(argv: string[]): void {
  const args = new CliArgs(argv, USAGE);
  const out = resolve(args.get('out') ?? '/tmp/localrec-arch');
  mkdirSync(out, { recursive: true });
  for (const f of ARCH_FIXTURES) {
    const bytes = archFixtureGguf(f);
    writeFileSync(join(out, `${f.name}.gguf`), bytes);
    console.log(`wrote ${join(out, `${f.name}.gguf`)}: ${bytes.byteLength} bytes (${f.arch})`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename))
  main(process.argv.slice(2));
