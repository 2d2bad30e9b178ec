/**
 * `npm run model:merge -- --base <model.gguf|model.bin> --lora <adapter.safetensors> --out <file.gguf>
 *   [--config <adapter_config.json>] [--r R --alpha A] [--rope-layout hf|meta]
 *   [--scheme f32|q8_0|q4_0] [--embeddings q8_0|f32|scheme] [--tokenizer <tok.bin>]`
 * Merges a PEFT LoRA adapter into the base model (W' = W + (alpha/r)·B·A, src/llm/lora.ts), then
 * writes GGUF (F32 by default, or quantized like model:quantize) and prints each merged tensor's
 * max abs change and each written tensor's max abs quantisation error.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseSafetensors } from '../../src/protocol/safetensors.ts';
import { loadLlamaFile } from '../../src/llm/load/model-file.ts';
import { loraConfigFromJson, mergeLora, readLoraAdapter, type LoraConfig } from '../../src/llm/lora.ts';
import {
  formatReports,
  metadataFor,
  quantPlan,
  writeLlamaGguf,
  type EmbeddingPolicy,
} from '../../src/llm/quantize-model.ts';
import { CliArgs, UsageError } from './cli-args.ts';
import { oneOf, runCli } from './quant-cli.ts';

const USAGE = `usage: npm run model:merge -- --base <model.gguf|model.bin> --lora <adapter.safetensors> --out <file.gguf>
  [--config <adapter_config.json>] (default: adapter_config.json next to the adapter)
  [--r R --alpha A] (override / replace the config) [--rope-layout hf|meta] (default hf: PEFT on HF weights)
  [--scheme f32|q8_0|q4_0] [--embeddings q8_0|f32|scheme] [--tokenizer <tok.bin>] (for a .bin base)`;

/** r / alpha from the config file (if any), overridden by --r / --alpha. */
function adapterConfig(args: CliArgs, adapterPath: string): LoraConfig {
  const path = args.get('config') ?? join(dirname(adapterPath), 'adapter_config.json');
  const fromFile = existsSync(path) ? loraConfigFromJson(readFileSync(path, 'utf8')) : null;
  if (!fromFile && !(args.has('r') && args.has('alpha'))) {
    throw new UsageError(`no adapter config at ${path}; pass --config or both --r and --alpha\n${USAGE}`);
  }
  const ropeLayout = oneOf('rope-layout', args.get('rope-layout') ?? 'hf', ['hf', 'meta'] as const, USAGE);
  return {
    r: args.number('r', fromFile?.r ?? 0),
    alpha: args.number('alpha', fromFile?.alpha ?? 0),
    ropeLayout,
  };
}

function main(argv: string[]): void {
  const args = new CliArgs(argv, USAGE);
  const adapterPath = args.need('lora');
  const config = adapterConfig(args, adapterPath);
  const scheme = oneOf('scheme', args.get('scheme') ?? 'f32', ['f32', 'q8_0', 'q4_0'] as const, USAGE);
  const embeddings = oneOf<EmbeddingPolicy>(
    'embeddings',
    args.get('embeddings') ?? 'q8_0',
    ['q8_0', 'f32', 'scheme'],
    USAGE,
  );
  const base = new Uint8Array(readFileSync(args.need('base')));
  // a copy: a Node Buffer's slice() is a view, which parseSafetensors' tensor() does not expect
  const pairs = readLoraAdapter(parseSafetensors(new Uint8Array(readFileSync(adapterPath))), config);
  const { weights, changes } = mergeLora(loadLlamaFile(base).weights, pairs, config);
  const plan = scheme === 'f32' ? () => 'F32' as const : quantPlan(scheme, embeddings);
  const tokenizer = args.get('tokenizer');
  const metadata = metadataFor(
    base,
    weights,
    plan('matrix'),
    tokenizer ? new Uint8Array(readFileSync(tokenizer)) : undefined,
  );
  const { bytes, reports } = writeLlamaGguf(weights, metadata, plan);
  writeFileSync(args.need('out'), bytes);
  console.log(
    `merged ${pairs.length} matrices (r ${config.r}, alpha ${config.alpha}, scale ${config.alpha / config.r}, rope layout ${config.ropeLayout}):`,
  );
  for (const c of changes) console.log(`  ${c.name}  max abs change ${c.maxAbsChange.toExponential(3)}`);
  if (scheme !== 'f32') console.log(formatReports(reports));
  console.log(`wrote ${args.need('out')}: ${bytes.byteLength} bytes (${scheme})`);
}

runCli(main);
