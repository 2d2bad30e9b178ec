/**
 * `npm run model:quantize -- --in <model.gguf|model.bin> --scheme q8_0|q4_0 --out <file.gguf>
 *   [--embeddings q8_0|f32|scheme] [--tokenizer <tok.bin>]`
 * Writes a GGUF "llama" file: layer matrices in the scheme, norms F32, token embedding / output
 * head Q8_0 by default (see src/llm/quantize-model.ts), and prints each tensor's max abs error.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import {
  formatReports,
  quantizeModelFile,
  type EmbeddingPolicy,
  type QuantScheme,
} from '../../src/llm/quantize-model.ts';
import { CliArgs } from './cli-args.ts';
import { oneOf, runCli } from './quant-cli.ts';

const USAGE = `usage: npm run model:quantize -- --in <model.gguf|model.bin> --scheme q8_0|q4_0 --out <file.gguf>
  [--embeddings q8_0|f32|scheme] (token embedding / output head; default q8_0)
  [--tokenizer <tok.bin>] (llama2.c tokenizer to embed when --in is a .bin)`;

function main(argv: string[]): void {
  const args = new CliArgs(argv, USAGE);
  const scheme = oneOf<QuantScheme>('scheme', args.need('scheme'), ['q8_0', 'q4_0'], USAGE);
  const embeddings = oneOf<EmbeddingPolicy>(
    'embeddings',
    args.get('embeddings') ?? 'q8_0',
    ['q8_0', 'f32', 'scheme'],
    USAGE,
  );
  const tokenizer = args.get('tokenizer');
  const input = new Uint8Array(readFileSync(args.need('in')));
  const { bytes, reports } = quantizeModelFile(input, {
    scheme,
    embeddings,
    ...(tokenizer ? { tokenizer: new Uint8Array(readFileSync(tokenizer)) } : {}),
  });
  writeFileSync(args.need('out'), bytes);
  console.log(formatReports(reports));
  console.log(`wrote ${args.need('out')}: ${bytes.byteLength} bytes (${scheme}, embeddings ${embeddings})`);
}

runCli(main);
