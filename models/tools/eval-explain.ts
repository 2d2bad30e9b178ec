/**
 * `npm run eval:explain -- [--models models/ml-latest-small-sasrec,models/ml-1m-sasrec-ce] [--users 100]
 *   [--per-user 3] [--seed 7] [--llm ../shared/models/stories260K/stories260K.gguf] [--no-llm]
 *   [--max-occlusion 50] [--sample docs/explanations-sample.md] [--json out.json]`
 *
 * Explanation metrics (src/rec/explain-metrics.ts) on test users (leave-one-out test histories,
 * sampled with a fixed seed) for the template verbaliser and the LLM verbaliser: facts from the same
 * code the SASRec worker runs (explainOnModel on FastCpuOps), verbalisers and post-check as on the
 * page. Writes a fixed-seed 20-explanation sample of the first model to --sample.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { leaveOneOut } from '../../src/data/split.ts';
import type { Dataset } from '../../src/data/types.ts';
import { CpuOps } from '../../src/gpu/cpu-ops.ts';
import { FastCpuOps } from '../../src/gpu/cpu-fast/fast-cpu-ops.ts';
import { loadOwnLanguageModel } from '../../src/llm/backends/own.ts';
import type { LanguageModel } from '../../src/llm/language-model.ts';
import { catalogVocabulary, checkExplanation, type CatalogVocabulary } from '../../src/rec/explain-check.ts';
import { buildItemFacts, type ExplanationFacts } from '../../src/rec/explain-facts.ts';
import { llmExplanation, verbaliserLabel, type LlmExplanation } from '../../src/rec/explain-llm.ts';
import { parseRecManifest } from '../../src/rec/item-tokens.ts';
import { summarizeExplanations, type ExplanationRecord } from '../../src/rec/explain-metrics.ts';
import { explainOnModel, type ExplainModel } from '../../src/rec/explain-model.ts';
import { templateExplanation, type Explanation } from '../../src/rec/explain-text.ts';
import { buildProfile, type UserProfile } from '../../src/rec/profile.ts';
import { SasrecSession } from '../../src/sasrec/session.ts';
import { loadSasrecModel } from '../../src/sasrec/weights.ts';
import { CliArgs } from './cli-args.ts';
import { diskFetchFile } from './disk-fetch.ts';
import { loadModelDatasetOrSkip } from './model-data.ts';
import { formatSummaryTable, sampleUsers, writeSample, type SampleRow } from './eval-explain-report.ts';

const USAGE = `usage: npm run eval:explain -- [--models dir1,dir2] [--users N] [--per-user K] [--seed S]
  [--llm <gguf>] [--no-llm] [--max-occlusion M] [--sample docs/explanations-sample.md] [--json out.json]`;

/** What one verbaliser returns for one item (timed by the caller). */
type Verbaliser = (facts: ExplanationFacts, seed: number, vocab: CatalogVocabulary) => Promise<Explanation>;

/** One explanation through the post-check into a metrics record, with the page's label of its line. */
async function explainOne(
  verbalise: Verbaliser,
  facts: ExplanationFacts,
  seed: number,
  context: { vocab: CatalogVocabulary; profile: UserProfile; occlusionTop3: number[] },
): Promise<{ record: ExplanationRecord; label: string }> {
  const started = performance.now();
  const e: Explanation & Partial<LlmExplanation> = await verbalise(facts, seed, context.vocab);
  const ms = performance.now() - started;
  const check = checkExplanation(e.text, facts, context.vocab);
  const record: ExplanationRecord = {
    itemId: facts.itemId,
    text: e.text,
    source: e.source,
    passedCheck: check.ok,
    citedItems: check.citedItems,
    citedConcepts: check.citedConcepts,
    occlusionTop3: context.occlusionTop3,
    profile: context.profile,
    ms,
  };
  return { record, label: verbaliserLabel(e) };
}

interface RunResult {
  model: string;
  data: string;
  users: number;
  factsMedianMs: number;
  records: Record<string, ExplanationRecord[]>;
  sample: SampleRow[];
}

async function runModel(
  modelDir: string,
  dataset: Dataset,
  verbalisers: Record<string, Verbaliser>,
  options: { users: number; perUser: number; seed: number; maxOcclusion: number },
): Promise<RunResult> {
  const { weights } = await loadSasrecModel(diskFetchFile(modelDir));
  const ops = new FastCpuOps();
  const model: ExplainModel = { session: new SasrecSession(ops, weights), ops, weights };
  const itemById = (id: number) => dataset.items[id - 1];
  const vocab = catalogVocabulary(dataset.items);
  const cases = leaveOneOut(dataset).test;
  const chosen = sampleUsers(cases.length, options.users, options.seed);
  const records: Record<string, ExplanationRecord[]> = Object.fromEntries(
    Object.keys(verbalisers).map((k) => [k, []]),
  );
  const factsMs: number[] = [];
  const sample: SampleRow[] = [];
  for (const [u, caseIndex] of chosen.entries()) {
    const history = Array.from(cases[caseIndex].history);
    const top = await model.session.rank(Int32Array.from(history), options.perUser);
    const ids = Array.from(top.ids);
    const started = performance.now();
    const modelFacts = await explainOnModel(model, history, ids, 3, options.maxOcclusion);
    factsMs.push(performance.now() - started);
    const profile = buildProfile(history, itemById);
    for (const [i, id] of ids.entries()) {
      const facts = buildItemFacts(id, modelFacts.items[i], profile, itemById, modelFacts);
      const occlusionTop3 = modelFacts.items[i].occlusion.slice(0, 3).map((o) => o.itemId);
      const context = { vocab, profile, occlusionTop3 };
      const texts: Record<string, string> = {};
      for (const [name, verbalise] of Object.entries(verbalisers)) {
        const { record, label } = await explainOne(verbalise, facts, options.seed + u, context);
        records[name].push(record);
        texts[name] = `${record.text} *(${label})*`;
      }
      if (i === 0)
        sample.push({
          history: history.slice(-5).map((h) => itemById(h)?.title ?? `item ${h}`),
          facts,
          texts,
        });
    }
  }
  model.session.dispose();
  const sorted = factsMs.sort((a, b) => a - b);
  return {
    model: basename(modelDir),
    data: dataset.name,
    users: chosen.length,
    factsMedianMs: sorted[sorted.length >> 1] ?? 0,
    records,
    sample,
  };
}

/** A rec-tuned GGUF (manifest.json beside it, arch llama-rec): its text vocabulary (item tokens follow), as the page's worker uses it. */
function recTextVocab(ggufPath: string): number | undefined {
  const manifest = join(dirname(ggufPath), 'manifest.json');
  if (!existsSync(manifest)) return undefined;
  try {
    return parseRecManifest(readFileSync(manifest, 'utf8')).baseVocab;
  } catch {
    return undefined; // a SASRec or other manifest: not a rec-tuned model
  }
}

async function loadLlm(path: string): Promise<LanguageModel> {
  return loadOwnLanguageModel({ model: new Uint8Array(readFileSync(path)) }, { ops: new CpuOps() });
}

async function main(argv: string[]): Promise<void> {
  const args = new CliArgs(argv, USAGE);
  const modelDirs = (args.get('models') ?? 'models/ml-latest-small-sasrec,models/ml-1m-sasrec-ce')
    .split(',')
    .map((d) => resolve(d));
  const options = {
    users: args.number('users', 100),
    perUser: args.number('per-user', 3),
    seed: args.number('seed', 7),
    maxOcclusion: args.number('max-occlusion', 50),
  };
  const llmPath = resolve(args.get('llm') ?? '../shared/models/stories260K/stories260K.gguf');
  const verbalisers: Record<string, Verbaliser> = { template: async (f, s) => templateExplanation(f, s) };
  let llm: LanguageModel | undefined;
  if (!args.has('no-llm')) {
    if (existsSync(llmPath)) {
      llm = await loadLlm(llmPath);
      const model = llm;
      const textVocab = recTextVocab(llmPath);
      verbalisers[`llm (${basename(llmPath)})`] = async (f, s, vocab) =>
        llmExplanation(model, f, vocab, { seed: s, ...(textVocab ? { textVocab } : {}) });
    } else console.log(`LLM verbaliser skipped: ${llmPath} not found (pass --llm <gguf>)`);
  }
  const results: RunResult[] = [];
  const reports: object[] = [];
  for (const dir of modelDirs) {
    const dataset = await loadModelDatasetOrSkip(dir);
    if (!dataset) continue;
    const started = performance.now();
    const run = await runModel(dir, dataset, verbalisers, options);
    console.log(
      `\n${run.model} on ${run.data}: ${run.users} test users × ${options.perUser} items, seed ${options.seed}, ` +
        `facts (attention + occlusion ≤ ${options.maxOcclusion}) median ${run.factsMedianMs.toFixed(1)} ms/user, ` +
        `${((performance.now() - started) / 1000).toFixed(1)} s total`,
    );
    const itemById = (id: number) => dataset.items[id - 1];
    const summaries = Object.entries(run.records).map(([name, r]) => ({
      name,
      summary: summarizeExplanations(r, itemById),
    }));
    console.log(formatSummaryTable(summaries));
    results.push(run);
    reports.push({
      model: run.model,
      data: run.data,
      users: run.users,
      perUser: options.perUser,
      seed: options.seed,
      factsMedianMs: run.factsMedianMs,
      summaries,
    });
  }
  await llm?.dispose();
  const samplePath = args.get('sample');
  if (samplePath && results[0])
    writeSample(
      samplePath,
      results[0].sample.slice(0, 20),
      `npm run eval:explain -- ${argv.join(' ')}`,
      results[0],
    );
  const json = args.get('json');
  if (json) writeFileSync(json, JSON.stringify(reports, null, 1));
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
