/**
 * `tsx … models/tools/quant-random-model.ts --out <file.gguf> [--dim 768] [--layers 12] [--heads 12]
 *  [--kv-heads 12] [--hidden 2048] [--context 2048] [--seed 1] [--tokenizer <llama2.c tokenizer.bin>]`
 *
 * Writes a random Q4_0 LLaMA GGUF (src/llm/random-model.ts) — by default ≈ 110M parameters with the
 * Llama 2 vocabulary (32000 pieces from ../shared/models/llama2-tokenizer/tokenizer.bin) embedded, so
 * bench:llm can run ours and wllama on a realistic size.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { validateLlamaConfig } from '../../src/llm/config.ts';
import { readLlama2cTokenizer } from '../../src/llm/load/tokenizer-files.ts';
import { parameterCount, randomQ4Gguf } from '../../src/llm/random-model.ts';
import { CliArgs, UsageError } from './cli-args.ts';

const USAGE =
  'usage: quant-random-model.ts --out <file.gguf> [--dim 768] [--layers 12] [--heads 12] [--kv-heads 12] ' +
  '[--hidden 2048] [--context 2048] [--seed 1] [--tokenizer <tokenizer.bin>]';
const ROOT = resolve(import.meta.dirname, '../..');
const DEFAULT_TOKENIZER = resolve(ROOT, '../shared/models/llama2-tokenizer/tokenizer.bin');
const VOCAB = 32000;

function main(argv: string[]): void {
  const args = new CliArgs(argv, USAGE);
  const out = args.get('out');
  if (!out) throw new UsageError(`--out is required\n${USAGE}`);
  const tokenizerPath = resolve(args.get('tokenizer') ?? DEFAULT_TOKENIZER);
  if (!existsSync(tokenizerPath))
    throw new UsageError(`${tokenizerPath} not found; pass --tokenizer\n${USAGE}`);
  const heads = args.number('heads', 12);
  const config = validateLlamaConfig(
    {
      dim: args.number('dim', 768),
      hiddenDim: args.number('hidden', 2048),
      layers: args.number('layers', 12),
      heads,
      kvHeads: args.number('kv-heads', heads),
      vocabSize: VOCAB,
      contextLength: args.number('context', 2048),
      ropeTheta: 10000,
      normEps: 1e-5,
      sharedClassifier: true,
    },
    'arguments',
  );
  const vocabulary = readLlama2cTokenizer(new Uint8Array(readFileSync(tokenizerPath)), VOCAB);
  const bytes = randomQ4Gguf(config, vocabulary, args.number('seed', 1));
  writeFileSync(resolve(out), bytes);
  const millions = (parameterCount(config) / 1e6).toFixed(1);
  console.log(`wrote ${out}: ${millions}M parameters, Q4_0, ${(bytes.byteLength / 2 ** 20).toFixed(1)} MiB`);
}

try {
  main(process.argv.slice(2));
} catch (e) {
  console.error(`${(e as Error).name}: ${(e as Error).message}`);
  process.exit(1);
}
