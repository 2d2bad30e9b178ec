/**
 * `npm run rec:sequences -- --model models/<sasrec id> --out <file>`
 *
 * Writes the `user item` sequence file a SASRec model was trained on (train:sasrec keeps it only in the
 * git-ignored checkpoints/), rebuilt from the model's data.json and checked against its items.json, so
 * models/train/rec_seq.py / rec_tune.py can be run with `--sequences <file>` on a fresh clone.
 */
import { writeFileSync } from 'node:fs';
import { toSasrecPairsText } from '../../src/data/export.ts';
import { CliArgs } from './cli-args.ts';
import { loadModelDataset } from './model-data.ts';

const USAGE = 'usage: npm run rec:sequences -- --model models/<sasrec id> --out <file>';

/** Writes `out` from `modelDir`'s recorded data set; returns the user and item counts. */
export async function writeModelSequences(
  modelDir: string,
  out: string,
): Promise<{ users: number; items: number }> {
  const dataset = await loadModelDataset(modelDir);
  writeFileSync(out, toSasrecPairsText(dataset.sequences));
  return { users: dataset.sequences.length, items: dataset.items.length };
}

async function main(argv: string[]): Promise<void> {
  const args = new CliArgs(argv, USAGE);
  const out = args.need('out');
  const { users, items } = await writeModelSequences(args.need('model'), out);
  console.log(`wrote ${out}: ${users} users, ${items} items`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2)).catch((e: Error) => {
    console.error(`${e.name}: ${e.message}`);
    process.exit(1);
  });
}
