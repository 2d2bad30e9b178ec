/**
 * `npm run interest:package -- --run <rec_interest_page.py --out dir> --out models/<id> --sasrec <SASRec id>`
 *
 * Turns the page's interest-model run into a model directory: the GGUFs (merge-schemes.ts), the adapter,
 * goldens.json (the run's test samples in page item ids with PyTorch's P(yes), for the runtime parity
 * test) and manifest.json = the run's interest.json header + {id, arch "llama-interest", sasrec, lora,
 * files, default}. The page's LLM worker reads it with `interest.load`.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseInterestPageManifest } from '../../src/rec/interest-protocol.ts';
import { CliArgs } from './cli-args.ts';
import { mergeSchemes } from './merge-schemes.ts';
import { runCli } from './quant-cli.ts';

const USAGE =
  'usage: npm run interest:package -- --run <rec_interest_page.py output dir> --out models/<id> --sasrec <SASRec model id>';
/** interest.json fields that are the parity check's, not the manifest's */
const GOLDEN_FIELDS = ['samples', 'labels', 'pYes', 'auc'] as const;

function main(argv: string[]): void {
  const args = new CliArgs(argv, USAGE);
  const run = args.need('run');
  const out = args.need('out');
  mkdirSync(out, { recursive: true });
  const exported = JSON.parse(readFileSync(join(run, 'interest.json'), 'utf8')) as Record<string, unknown>;
  const goldens = Object.fromEntries(GOLDEN_FIELDS.map((k) => [k, exported[k]]));
  const header = Object.fromEntries(
    Object.entries(exported).filter(
      ([k]) => !(GOLDEN_FIELDS as readonly string[]).includes(k) && k !== 'r' && k !== 'alpha',
    ),
  );
  for (const name of ['adapter.safetensors', 'adapter_config.json'])
    copyFileSync(join(run, name), join(out, name));
  writeFileSync(join(out, 'goldens.json'), JSON.stringify(goldens));
  const files = mergeSchemes(run, out);
  const manifest = {
    id: basename(out),
    arch: 'llama-interest',
    sasrec: args.need('sasrec'),
    ...header,
    lora: { r: exported.r, alpha: exported.alpha },
    files,
    default: 'q8_0',
  };
  parseInterestPageManifest(manifest); // refuse to write a manifest the worker cannot read
  writeFileSync(join(out, 'manifest.json'), JSON.stringify(manifest, null, 1));
  console.log(`wrote ${join(out, 'manifest.json')}`);
}

runCli(main);
