/**
 * The GGUF files of a tuned model directory: a training run's base-with-item-rows, tokenizer and LoRA
 * adapter merged through our merge CLI (`npm run model:merge`, RoPE layout "meta": the adapters are
 * trained on llama2.c pair-layout weights) as F32, Q8_0 and Q4_0 GGUF. Shared by `rec:package` and
 * `interest:package`.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The schemes every packaged model carries. */
export const SCHEMES = ['f32', 'q8_0', 'q4_0'] as const;

/** One GGUF of a manifest's `files`. */
export interface PackagedFile {
  file: string;
  bytes: number;
  sha256: string;
}

/**
 * Merges `run`'s adapter.safetensors into its base-items.bin (with tokenizer.bin) once per scheme,
 * writing `out`/model-<scheme>.gguf; returns each file's size and sha256 by scheme.
 */
export function mergeSchemes(run: string, out: string): Record<string, PackagedFile> {
  const files: Record<string, PackagedFile> = {};
  for (const scheme of SCHEMES) {
    const file = `model-${scheme}.gguf`;
    execFileSync(
      'npm',
      [
        ...['run', '-s', 'model:merge', '--'],
        ...['--base', join(run, 'base-items.bin'), '--tokenizer', join(run, 'tokenizer.bin')],
        ...['--lora', join(run, 'adapter.safetensors'), '--rope-layout', 'meta'],
        ...['--scheme', scheme, '--out', join(out, file)],
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
  return files;
}
