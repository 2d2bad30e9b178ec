/**
 * `npm run eval -- --model models/<sasrec id> --pipeline sasrec+llm --llm models/<llama-rec id>
 *   [--scheme q8_0|q4_0|f32] [--weight w] [--split test|valid] [--limit N] [--json out.json]`
 *
 * Evaluates SASRec alone and SASRec top-C re-ranked by the rec-tuned LLM on the same leave-one-out
 * cases (full ranking), with the paired-bootstrap interval of the per-user difference, the recall@C
 * ceiling (how often SASRec retrieved the target at all), the median added latency of the re-rank
 * step and the LLM file's bytes. Writes JSON (default: <llm>/eval-<split>-pipeline-<scheme>.json).
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { median } from '../../src/bench/stats.ts';
import type { EvalCase } from '../../src/data/split.ts';
import type { Dataset } from '../../src/data/types.ts';
import { compareEvaluations, formatComparison } from '../../src/eval/compare.ts';
import { evaluate } from '../../src/eval/protocols.ts';
import { formatMetricsTable } from '../../src/eval/report.ts';
import type { CliArgs } from './cli-args.ts';
import { UsageError } from './cli-args.ts';
import { oneOf } from './quant-cli.ts';
import { loadRecLlm, pipelineScorer } from './rec-pipeline-scorer.ts';
import { createScorer, type BackendName } from './scorers.ts';

/** What eval.ts has already resolved. */
export interface PipelineEvalInput {
  modelDir: string;
  backend: BackendName;
  split: string;
  cases: readonly EvalCase[];
  dataset: Dataset;
  argv: string[];
}

/** Runs both systems on `cases`, prints the tables and writes the JSON report. */
export async function runPipelineEval(args: CliArgs, input: PipelineEvalInput): Promise<void> {
  const llmDir = args.get('llm');
  if (!llmDir) throw new UsageError('--pipeline sasrec+llm needs --llm models/<llama-rec id>');
  const scheme = oneOf(
    'scheme',
    args.get('scheme') ?? 'q8_0',
    ['f32', 'q8_0', 'q4_0'] as const,
    'usage: see eval.ts',
  );
  const weight = args.has('weight') ? args.number('weight', 0) : undefined;
  const llm = loadRecLlm(resolve(llmDir), scheme);
  const itemCount = input.dataset.items.length;
  const sasrec = await createScorer(input.modelDir, input.backend);
  const alone = await evaluate(input.cases, sasrec.score, { itemCount });
  const { scorer, stats } = pipelineScorer(sasrec, llm, weight);
  const started = performance.now();
  const piped = await evaluate(input.cases, scorer.score, { itemCount });
  const seconds = (performance.now() - started) / 1000;
  scorer.dispose();
  const c = llm.manifest.candidates;
  const recall = alone.full.ranks.filter((rank) => rank < c).length / input.cases.length;
  const comparison = compareEvaluations(piped, alone);
  const report = {
    sasrec: sasrec.id,
    llm: llm.manifest.id,
    llmFile: llm.file,
    llmBytes: llm.bytes,
    fusionWeight: weight ?? llm.manifest.fusionWeight,
    data: input.dataset.name,
    split: input.split,
    users: input.cases.length,
    backend: scorer.backendLabel,
    seconds: Math.round(seconds * 10) / 10,
    [`recallAt${c}`]: recall,
    medianRerankMs: median(stats.rerankMs),
    sasrecFull: alone.full.metrics,
    pipelineFull: piped.full.metrics,
    comparison,
    command: `npm run eval -- ${input.argv.join(' ')}`,
  };
  console.log(
    formatMetricsTable(
      [
        { label: 'sasrec', metrics: alone.full.metrics },
        { label: 'sasrec+llm', metrics: piped.full.metrics },
      ],
      'full ranking',
    ),
  );
  console.log(
    formatComparison(
      comparison.filter((row) => row.protocol === 'full'),
      'sasrec+llm',
      'sasrec',
    ),
  );
  console.log(
    `${report.users} users, ${report.data} ${input.split}; recall@${c} ceiling ${recall.toFixed(4)}; ` +
      `w ${report.fusionWeight}; re-rank median ${report.medianRerankMs.toFixed(2)} ms (${report.backend}); ` +
      `${llm.file} ${llm.bytes} bytes`,
  );
  const out = args.get('json') ?? join(resolve(llmDir), `eval-${input.split}-pipeline-${scheme}.json`);
  writeFileSync(out, JSON.stringify(report, null, 1));
  console.log(`wrote ${out}`);
}
