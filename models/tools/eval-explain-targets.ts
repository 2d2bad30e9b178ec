/**
 * `npm run eval:explain-targets -- [--model models/ml-latest-small-sasrec] [--train-users 400]
 *   [--valid-users 100] [--skip-users 100] [--per-user 3] [--seed 7]
 *   [--gguf ../shared/models/stories260K/stories260K.gguf] --out <dir>`
 *
 * Training data for the explanation task (models/train/explain_tune.py), from the TRAINING split
 * only: for users drawn with `seed` (the first `skip-users` of that order are the ones
 * `npm run eval:explain` tests on, and are left out), SASRec's top `per-user` items after the
 * user's training-split history, their facts (attention + occlusion, explainOnModel on FastCpuOps as
 * in the SASRec worker), the verbaliser's prompt and the checked targets (src/rec/explain-targets.ts)
 * as token ids of the GGUF's tokenizer. Validation users (other users, same split) also get the
 * concept-consistency probe. Writes train.jsonl, valid.jsonl (one {prompt, target} per line) and
 * probes.jsonl ({context, options, fact}).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { leaveOneOut } from '../../src/data/split.ts';
import type { Dataset } from '../../src/data/types.ts';
import { FastCpuOps } from '../../src/gpu/cpu-fast/fast-cpu-ops.ts';
import { loadLlamaFile, tokenizerFor } from '../../src/llm/load/model-file.ts';
import type { TextTokenizer } from '../../src/llm/tokenizer.ts';
import { itemConcepts } from '../../src/rec/concepts.ts';
import { catalogVocabulary } from '../../src/rec/explain-check.ts';
import { buildItemFacts, type ExplanationFacts } from '../../src/rec/explain-facts.ts';
import { explainOnModel, type ExplainModel } from '../../src/rec/explain-model.ts';
import { conceptProbe, explanationTargets } from '../../src/rec/explain-targets.ts';
import { buildProfile } from '../../src/rec/profile.ts';
import { SasrecSession } from '../../src/sasrec/session.ts';
import { loadSasrecModel } from '../../src/sasrec/weights.ts';
import { CliArgs } from './cli-args.ts';
import { diskFetchFile } from './disk-fetch.ts';
import { sampleUsers } from './eval-explain-report.ts';
import { loadModelDatasetOrSkip } from './model-data.ts';

const USAGE = `usage: npm run eval:explain-targets -- [--model dir] [--train-users N] [--valid-users N]
  [--skip-users N] [--per-user K] [--seed S] [--gguf <tokenizer gguf>] --out <dir>`;

/** Token ids of `context` and of `continuation` as the model sees them after it; undefined when the
 * tokenizer merges across the boundary (the example is then skipped). */
function split(
  tokenizer: TextTokenizer,
  context: string,
  continuation: string,
): [number[], number[]] | undefined {
  const head = Array.from(tokenizer.encode(context, { bos: true })); // [p]
  const full = Array.from(tokenizer.encode(context + continuation, { bos: true })); // [p + t]
  if (full.length <= head.length || head.some((id, i) => full[i] !== id)) return undefined;
  return [head, full.slice(head.length)];
}

/** Facts of SASRec's top `perUser` items after `history`. */
async function factsFor(
  model: ExplainModel,
  dataset: Dataset,
  history: number[],
  perUser: number,
): Promise<ExplanationFacts[]> {
  const itemById = (id: number) => dataset.items[id - 1];
  const top = await model.session.rank(Int32Array.from(history), perUser);
  const ids = Array.from(top.ids);
  const modelFacts = await explainOnModel(model, history, ids, 3);
  const profile = buildProfile(history, itemById);
  return ids.map((id, i) => buildItemFacts(id, modelFacts.items[i], profile, itemById, modelFacts));
}

async function main(argv: string[]): Promise<void> {
  const args = new CliArgs(argv, USAGE);
  const out = args.get('out');
  if (!out) throw new Error(`--out is required\n${USAGE}`);
  const modelDir = resolve(args.get('model') ?? 'models/ml-latest-small-sasrec');
  const dataset = await loadModelDatasetOrSkip(modelDir);
  if (!dataset) throw new Error(`the data set of ${modelDir} is missing (see its manifest)`);
  const gguf = new Uint8Array(
    readFileSync(resolve(args.get('gguf') ?? '../shared/models/stories260K/stories260K.gguf')),
  );
  const tokenizer = tokenizerFor(loadLlamaFile(gguf));
  const { weights } = await loadSasrecModel(diskFetchFile(modelDir));
  const ops = new FastCpuOps();
  const model: ExplainModel = { session: new SasrecSession(ops, weights), ops, weights };
  const vocab = catalogVocabulary(dataset.items);
  const labels = [
    ...new Set(
      dataset.items.flatMap((i) =>
        itemConcepts(i)
          .filter((c) => c.kind !== 'tag')
          .map((c) => c.label),
      ),
    ),
  ];
  const split3 = leaveOneOut(dataset);
  const skip = args.number('skip-users', 100);
  const trainUsers = args.number('train-users', 400);
  const validUsers = args.number('valid-users', 100);
  const perUser = args.number('per-user', 3);
  const order = sampleUsers(split3.valid.length, skip + validUsers + trainUsers, args.number('seed', 7));
  const rows: Record<'train' | 'valid' | 'probes', string[]> = { train: [], valid: [], probes: [] };
  let skipped = 0;
  for (const [rank, caseIndex] of order.entries()) {
    if (rank < skip) continue; // eval:explain's test users
    const part = rank < skip + validUsers ? 'valid' : 'train';
    const valid = split3.valid[caseIndex];
    const history = Array.from(valid.history); // the training split (validation and test items held out)
    if (history.length === 0) continue;
    for (const facts of await factsFor(model, dataset, history, perUser)) {
      const { prompt, targets } = explanationTargets(facts, vocab);
      for (const target of targets) {
        const ids = split(tokenizer, prompt, target);
        if (ids) rows[part].push(JSON.stringify({ prompt: ids[0], target: ids[1] }));
        else skipped++;
      }
      const probe = part === 'valid' ? conceptProbe(facts, labels) : undefined;
      if (probe) {
        const options = probe.options.map((o) => split(tokenizer, probe.context, o));
        if (options.every((o) => o !== undefined))
          rows.probes.push(
            JSON.stringify({ context: options[0][0], options: options.map((o) => o[1]), fact: probe.fact }),
          );
      }
    }
  }
  model.session.dispose();
  mkdirSync(out, { recursive: true });
  for (const [name, lines] of Object.entries(rows))
    writeFileSync(join(out, `${name}.jsonl`), `${lines.join('\n')}\n`);
  console.log(
    `${rows.train.length} training and ${rows.valid.length} validation targets, ${rows.probes.length} probes ` +
      `(${labels.length} concept labels), ${skipped} skipped (tokens merged across the prompt boundary) → ${out}`,
  );
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
