/**
 * Shared steps of the rec trainers' smoke tests (rec_tune.py, rec_seq.py): run a trainer on the committed
 * ml-latest-small SASRec and the real stories260K, and check that our LoRA merge of its output reproduces
 * the PyTorch logits it wrote to goldens.json.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { findTorchPython, run } from '../../models/tools/python.ts';
import { writeModelSequences } from '../../models/tools/rec-sequences.ts';
import { CpuOps } from '../../src/gpu/cpu-ops.ts';
import { LlamaForward } from '../../src/llm/forward.ts';
import { loadLlamaFile } from '../../src/llm/load/model-file.ts';
import { mergeLora, readLoraAdapter } from '../../src/llm/lora.ts';
import { parseSafetensors } from '../../src/protocol/safetensors.ts';
import { STORIES_DIR } from '../llm/stories-files.ts';

/** The repository root. */
export const ROOT = resolve(import.meta.dirname, '../..');

/**
 * Runs models/train/<script> into `out` with the committed SASRec, stories260K and `extra` options.
 * checkpoints/ is not committed: the sequence file is rebuilt from the model's data.json (npm run rec:sequences).
 */
export async function runRecTrainer(script: string, out: string, extra: string[]): Promise<void> {
  const sequences = join(out, 'sequences.txt');
  await writeModelSequences(join(ROOT, 'models/ml-latest-small-sasrec'), sequences);
  await run(
    findTorchPython() ?? 'python3',
    [
      join(ROOT, 'models/train', script),
      ...['--sasrec', join(ROOT, 'models/ml-latest-small-sasrec'), '--sequences', sequences, '--out', out],
      ...['--base', join(STORIES_DIR, 'stories260K.bin'), '--tokenizer', join(STORIES_DIR, 'tok512.bin')],
      ...extra,
    ],
    { quiet: true },
  );
}

/** What goldens.json holds: the prompt [p] and the PyTorch last-position logits [vocab]. */
export interface RecGoldens {
  prompt: number[];
  lastLogits: number[];
}

/** Reads `out`/goldens.json. */
export function readGoldens(out: string): RecGoldens {
  return JSON.parse(readFileSync(join(out, 'goldens.json'), 'utf8')) as RecGoldens;
}

/**
 * Merges `out`'s adapter (rank r, alpha) into its base-items.bin with our LoRA merge and runs the golden
 * prompt on CpuOps → { vocab: logits row length, worst: max |ours − PyTorch| }.
 */
export async function mergedGoldenError(
  out: string,
  r: number,
  alpha: number,
): Promise<{ vocab: number; worst: number }> {
  const file = (name: string) => new Uint8Array(readFileSync(join(out, name)));
  const options = { r, alpha, ropeLayout: 'meta' as const };
  const pairs = readLoraAdapter(parseSafetensors(file('adapter.safetensors')), options);
  const { weights } = mergeLora(loadLlamaFile(file('base-items.bin')).weights, pairs, options);
  const goldens = readGoldens(out);
  const ops = new CpuOps();
  const logits = new LlamaForward(ops, weights, { capacity: 256 }).forward(Int32Array.from(goldens.prompt));
  const row = await ops.read(logits); // [vocab]
  ops.release(logits);
  let worst = 0;
  for (let i = 0; i < row.length; i++) worst = Math.max(worst, Math.abs(row[i] - goldens.lastLogits[i]));
  return { vocab: row.length, worst };
}
