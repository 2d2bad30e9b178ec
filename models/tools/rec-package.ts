/**
 * `npm run rec:package -- --run <rec_tune.py --out dir> --out models/<llama-rec id>`
 *
 * Turns a rec-tuning run into a model directory: merges the LoRA adapter into the base-with-item-rows
 * as F32, Q8_0 and Q4_0 GGUF (merge-schemes.ts), copies the adapter, goldens and training log, and
 * writes manifest.json = the run's rec.json + the GGUF files with their sizes and sha256.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseRecManifest } from '../../src/rec/item-tokens.ts';
import { CliArgs } from './cli-args.ts';
import { mergeSchemes } from './merge-schemes.ts';
import { runCli } from './quant-cli.ts';

const USAGE = 'usage: npm run rec:package -- --run <rec_tune.py output dir> --out models/<llama-rec id>';
const COPIED = ['adapter.safetensors', 'adapter_config.json', 'goldens.json', 'train-log.json'];

function main(argv: string[]): void {
  const args = new CliArgs(argv, USAGE);
  const run = args.need('run');
  const out = args.need('out');
  mkdirSync(out, { recursive: true });
  const rec = JSON.parse(readFileSync(join(run, 'rec.json'), 'utf8')) as Record<string, unknown>;
  for (const name of COPIED) copyFileSync(join(run, name), join(out, name));
  const files = mergeSchemes(run, out);
  const manifest = { ...rec, files, default: 'q8_0' };
  parseRecManifest(JSON.stringify(manifest)); // refuse to write a manifest the pipeline cannot read
  writeFileSync(join(out, 'manifest.json'), JSON.stringify(manifest, null, 1));
  console.log(
    `wrote ${join(out, 'manifest.json')}: ${Object.values(files)
      .map((f) => `${f.file} ${f.bytes} B`)
      .join(', ')}`,
  );
}

runCli(main);
