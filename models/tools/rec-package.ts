/**
 * `npm run rec:package -- --run <rec_tune.py --out dir> --out models/<llama-rec id>`
 *
 * Turns a rec-tuning run into a model directory: merges the LoRA adapter into the base-with-item-rows
 * through our merge CLI (`npm run model:merge`, RoPE layout "meta": the adapter was trained on llama2.c
 * pair-layout weights) as F32, Q8_0 and Q4_0 GGUF, copies the adapter, goldens and training log, and
 * writes manifest.json = the run's rec.json + the GGUF files with their sizes and sha256.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseRecManifest } from '../../src/rec/item-tokens.ts';
import { CliArgs } from './cli-args.ts';
import { runCli } from './quant-cli.ts';

const USAGE = 'usage: npm run rec:package -- --run <rec_tune.py output dir> --out models/<llama-rec id>';
const SCHEMES = ['f32', 'q8_0', 'q4_0'] as const;
const COPIED = ['adapter.safetensors', 'adapter_config.json', 'goldens.json', 'train-log.json'];

function main(argv: string[]): void {
  const args = new CliArgs(argv, USAGE);
  const run = args.need('run');
  const out = args.need('out');
  mkdirSync(out, { recursive: true });
  const rec = JSON.parse(readFileSync(join(run, 'rec.json'), 'utf8')) as Record<string, unknown>;
  for (const name of COPIED) copyFileSync(join(run, name), join(out, name));
  const files: Record<string, { file: string; bytes: number; sha256: string }> = {};
  for (const scheme of SCHEMES) {
    const file = `model-${scheme}.gguf`;
    execFileSync(
      'npm',
      [
        'run',
        '-s',
        'model:merge',
        '--',
        '--base',
        join(run, 'base-items.bin'),
        '--tokenizer',
        join(run, 'tokenizer.bin'),
        '--lora',
        join(run, 'adapter.safetensors'),
        '--rope-layout',
        'meta',
        '--scheme',
        scheme,
        '--out',
        join(out, file),
      ],
      { stdio: 'inherit' },
    );
    const bytes = readFileSync(join(out, file));
    files[scheme] = {
      file,
      bytes: bytes.byteLength,
      sha256: createHash('sha256').update(bytes).digest('hex'),
    };
  }
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
