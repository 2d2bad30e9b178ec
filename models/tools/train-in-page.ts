/**
 * `npx tsx models/tools/train-in-page.ts --data <interactions.csv> [--epochs N] [--out <dir>]`
 *
 * Runs the page's training worker handler (src/train/train-handler.ts, the code the Train button
 * runs) in Node on a CSV: prints each epoch (loss, validation NDCG@10), the popularity baseline and
 * the throughput, and with --out writes the SASRec bundle (manifest.json, weights.safetensors,
 * items.json) the page would keep.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { createTrainHandlers } from '../../src/train/train-handler.ts';
import { CliArgs } from './cli-args.ts';

const USAGE =
  'usage: npx tsx models/tools/train-in-page.ts --data <interactions.csv> [--epochs N] [--out <dir>]';

async function main(argv: string[]): Promise<void> {
  const args = new CliArgs(argv, USAGE);
  const path = args.need('data');
  const bytes = readFileSync(path);
  const csv = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const epochs = args.get('epochs') === undefined ? undefined : args.number('epochs', 0);
  const controller = new AbortController();
  const result = await createTrainHandlers()['train.run'](
    { csv, name: basename(path), ...(epochs === undefined ? {} : { epochs }) },
    {
      signal: controller.signal,
      progress: (p) => {
        if (p.stage !== 'batch') console.log(p.message ?? p.stage);
      },
      throwIfCancelled: () => undefined,
    },
  );
  console.log(
    `${result.users} users, ${result.items.length} items, ${result.interactions} interactions; ` +
      `best epoch ${result.bestEpoch} of ${result.epochs}: validation NDCG@10 ${result.validNdcg10.toFixed(4)} ` +
      `(popularity ${result.popularityNdcg10.toFixed(4)}); ${Math.round(result.positionsPerSecond)} interactions/s; ` +
      `${(result.ms / 1000).toFixed(1)} s`,
  );
  const out = args.get('out');
  if (out) {
    mkdirSync(out, { recursive: true });
    for (const [name, data] of Object.entries(result.files))
      writeFileSync(join(out, name), new Uint8Array(data));
    console.log(`wrote ${Object.keys(result.files).join(', ')} to ${out}`);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
  process.exitCode = 1;
});
