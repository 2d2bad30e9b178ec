/**
 * `npm run train:sasrec -- --data <path|name> --out models/<id> [options]`
 *
 * Reads any supported data format through src/data (one parser for the page, the CLIs and training),
 * writes a normalised `user item` sequence file and `items.json` (dense id → original key), then runs
 * models/train/sasrec.py with Debian's PyTorch. `--distributed K` runs it under torchrun with K CPU
 * processes (DDP, gloo). Options not listed here are passed to sasrec.py (e.g. --loss ce --epochs 50).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { loadNamedDataset, type LoadOptions } from '../../src/data/node/named.ts';
import { itemKeysJson, toSasrecPairsText } from '../../src/data/export.ts';
import { CliArgs } from './cli-args.ts';
import { runSasrecTraining } from './python.ts';

const USAGE = `usage: npm run train:sasrec -- --data <path|ml-latest-small|ml-1m|beauty|ml-100k> --out models/<id>
  [--id <id>] [--min-rating R] [--min-user N] [--min-item N] [--distributed K]
  [any models/train/sasrec.py option: --loss bce|ce --positions from_start|right_aligned --epochs N --hidden D ...]`;

/** Options consumed here; everything else goes to the Python script. */
const OWN = new Set(['data', 'out', 'id', 'min-rating', 'min-user', 'min-item', 'distributed']);

async function main(argv: string[]): Promise<void> {
  const args = new CliArgs(argv, USAGE);
  const out = resolve(args.need('out'));
  const id = args.get('id') ?? basename(out);
  const options: LoadOptions = {
    minRating: args.get('min-rating') === undefined ? undefined : args.number('min-rating', 0),
    minUserInteractions: args.number('min-user', 1),
    minItemInteractions: args.number('min-item', 1),
  };
  const dataset = await loadNamedDataset(args.need('data'), options);
  console.log(`${dataset.name}: ${dataset.sequences.length} users, ${dataset.items.length} items`);

  const work = join(out, 'checkpoints');
  mkdirSync(work, { recursive: true });
  const sequences = join(work, 'sequences.txt');
  writeFileSync(sequences, toSasrecPairsText(dataset.sequences));
  writeFileSync(join(out, 'items.json'), itemKeysJson(dataset));
  writeFileSync(join(out, 'data.json'), JSON.stringify({ data: args.need('data'), ...options }, null, 1));

  const forwarded = args
    .entries()
    .filter(([k]) => !OWN.has(k))
    .flatMap(([k, v]) => (v === 'true' ? [`--${k}`] : [`--${k}`, v]));
  await runSasrecTraining({
    args: ['--sequences', sequences, '--out', out, '--id', id, '--dataset', dataset.name, ...forwarded],
    processes: args.number('distributed', 1),
    logDir: join(work, 'torchrun'),
  });
  console.log(`wrote ${out}/manifest.json`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2)).catch((e: Error) => {
    console.error(`${e.name}: ${e.message}`);
    process.exit(1);
  });
}
