/**
 * `npm run eval:chat -- [--models models/ml-latest-small-sasrec,models/ml-1m-sasrec-ce]
 *   [--users 300] [--seed 7] [--candidates 200]`
 *
 * Conversational refinement (src/rec/chat) with an oracle user: for sampled leave-one-out test
 * users, requests are written from the concepts of the held-out next item ("more <its first
 * genre>", "from the <its decade>", both), parsed by the same parser as the page and applied to
 * SASRec's top-`candidates`. Reported: HR@10 / NDCG@10 of the held-out item before and after each
 * request, the share of requests the parser read as intended, and filter violations in the refined
 * lists (must be 0). "no <its genre>" is the control: its HR@10 must be 0.
 */
import { resolve, basename } from 'node:path';
import { leaveOneOut } from '../../src/data/split.ts';
import type { CatalogItem, Dataset } from '../../src/data/types.ts';
import { mix32 } from '../../src/eval/random.ts';
import { FastCpuOps } from '../../src/gpu/cpu-fast/fast-cpu-ops.ts';
import { conceptKey, decadeOf, itemConceptKeys } from '../../src/rec/concepts.ts';
import { parseRequest } from '../../src/rec/chat/parse.ts';
import { passesFilters, refineCandidates, type Candidate } from '../../src/rec/chat/refine.ts';
import { buildVocabulary } from '../../src/rec/chat/vocabulary.ts';
import { SasrecSession } from '../../src/sasrec/session.ts';
import { loadSasrecModel } from '../../src/sasrec/weights.ts';
import { CliArgs } from './cli-args.ts';
import { diskFetchFile } from './disk-fetch.ts';
import { loadModelDataset } from './model-data.ts';

const USAGE = `usage: npm run eval:chat -- [--models dir1,dir2] [--users N] [--seed S] [--candidates C]`;
const LIST = 10;

/** A request written from the held-out item, and the concept keys it must be read as. */
interface OracleRequest {
  name: string;
  text: string;
  expected: string[];
}

/** Requests for `target` (only those its metadata allows). */
function oracleRequests(target: CatalogItem): OracleRequest[] {
  const genre = target.genres.find((g) => g !== '(no genres listed)');
  const decade = decadeOf(target.year);
  const out: OracleRequest[] = [];
  if (genre)
    out.push({ name: 'more <genre>', text: `more ${genre}`, expected: [`genre:${genre.toLowerCase()}`] });
  if (decade)
    out.push({ name: 'from the <decade>', text: `from the ${decade}`, expected: [`decade:${decade}`] });
  if (genre && decade)
    out.push({
      name: '<genre> from the <decade>',
      text: `${genre} from the ${decade}`,
      expected: [`genre:${genre.toLowerCase()}`, `decade:${decade}`],
    });
  if (genre)
    out.push({
      name: 'no <genre> (control)',
      text: `no ${genre}`,
      expected: [`genre:${genre.toLowerCase()}`],
    });
  return out;
}

/** Accumulated figures of one request kind. */
interface Tally {
  cases: number;
  hits: number;
  ndcg: number;
  readAsIntended: number;
  violations: number;
}

const newTally = (): Tally => ({ cases: 0, hits: 0, ndcg: 0, readAsIntended: 0, violations: 0 });

/** Add the rank of `target` in `ids` (top LIST) to `tally`. */
function score(tally: Tally, ids: readonly number[], target: number): void {
  const rank = ids.slice(0, LIST).indexOf(target);
  tally.cases++;
  if (rank >= 0) {
    tally.hits++;
    tally.ndcg += 1 / Math.log2(rank + 2);
  }
}

async function runModel(dir: string, dataset: Dataset, users: number, seed: number, candidates: number) {
  const { weights } = await loadSasrecModel(diskFetchFile(dir));
  const session = new SasrecSession(new FastCpuOps(), weights);
  const vocab = buildVocabulary(dataset.items);
  const cases = leaveOneOut(dataset).test;
  // a fixed-seed order of the test users: sort by a hash of (index, seed)
  const chosen = cases
    .map((_, i) => i)
    .sort((a, b) => mix32(a * 2654435761 + seed) - mix32(b * 2654435761 + seed) || a - b)
    .slice(0, users);
  const tallies = new Map<string, Tally>([['plain SASRec', newTally()]]);
  let inCandidates = 0;
  let refineMs = 0;
  let refines = 0;
  for (const index of chosen) {
    const { history, target } = cases[index];
    const top = await session.rank(history, candidates, { excludeHistory: true });
    const list: Candidate[] = Array.from(top.ids, (id, i) => ({
      item: dataset.items[id - 1],
      score: top.scores[i],
    }));
    score(tallies.get('plain SASRec') ?? newTally(), Array.from(top.ids), target);
    if (top.ids.includes(target)) inCandidates++;
    for (const request of oracleRequests(dataset.items[target - 1])) {
      const tally = tallies.get(request.name) ?? newTally();
      tallies.set(request.name, tally);
      const intent = parseRequest(request.text, vocab);
      const read = Object.values(intent.concepts).flat().map(conceptKey).sort();
      if (read.join() === [...request.expected].sort().join()) tally.readAsIntended++;
      const started = performance.now();
      const refined = refineCandidates(list, intent, LIST);
      refineMs += performance.now() - started;
      refines++;
      tally.violations += refined.items.filter(
        (r) => !passesFilters(r.item, itemConceptKeys(r.item), intent),
      ).length;
      score(
        tally,
        refined.items.map((r) => r.item.id),
        target,
      );
    }
  }
  session.dispose();
  return { tallies, users: chosen.length, inCandidates, refineMs: refineMs / Math.max(1, refines) };
}

async function main(argv: string[]): Promise<void> {
  const args = new CliArgs(argv, USAGE);
  const dirs = (args.get('models') ?? 'models/ml-latest-small-sasrec,models/ml-1m-sasrec-ce').split(',');
  const users = args.number('users', 300);
  const seed = args.number('seed', 7);
  const candidates = args.number('candidates', 200);
  for (const dir of dirs.map((d) => resolve(d))) {
    let dataset: Dataset;
    try {
      dataset = await loadModelDataset(dir);
    } catch (error) {
      console.log(`${basename(dir)} skipped: ${String(error)}`);
      continue;
    }
    const run = await runModel(dir, dataset, users, seed, candidates);
    console.log(
      `\n${basename(dir)} on ${dataset.name}: ${run.users} test users (seed ${seed}), candidates = SASRec top-${candidates} ` +
        `(held-out item among them for ${((100 * run.inCandidates) / run.users).toFixed(1)}%), ` +
        `refine ${run.refineMs.toFixed(2)} ms/request`,
    );
    console.log('| request | cases | HR@10 | NDCG@10 | parsed as intended | filter violations |');
    console.log('|---|---|---|---|---|---|');
    for (const [name, t] of run.tallies) {
      const parsed = name === 'plain SASRec' ? '—' : `${((100 * t.readAsIntended) / t.cases).toFixed(1)}%`;
      console.log(
        `| ${name} | ${t.cases} | ${(t.hits / t.cases).toFixed(4)} | ${(t.ndcg / t.cases).toFixed(4)} | ${parsed} | ${name === 'plain SASRec' ? '—' : t.violations} |`,
      );
    }
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
