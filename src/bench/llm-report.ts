/**
 * bench:llm figures: per-engine generation timings reduced to medians, tok/s and ratios, and the
 * Markdown for the `bench:llm` section of docs/BENCHMARKS.md. Pure functions, no clock.
 */
import type { LlamaWeights, WeightMatrix } from '../llm/weights.ts';
import { median } from './stats.ts';

/** One timed generation: prompt prefill, then greedy decoding. */
export interface GenerationTiming {
  promptTokens: number;
  /** request → prompt processed and the first token picked, ms (time to first token) */
  ttftMs: number;
  /** prompt prefill alone, ms (ours: = ttftMs; wllama: its own timings.prompt_ms) */
  prefillMs: number;
  /** tokens generated after the first one */
  decodeTokens: number;
  /** time of those decode steps, ms */
  decodeMs: number;
}

/** An engine's runs on one model. */
export interface EngineRuns {
  /** e.g. "ours · WebGPU (SwiftShader)", "wllama 3.8.1 · wasm, 1 thread" */
  engine: string;
  runs: GenerationTiming[];
}

/** Medians of an engine's runs. */
export interface EngineSummary {
  engine: string;
  runs: number;
  promptTokens: number;
  prefillTokPerS: number;
  decodeTokPerS: number;
  ttftMs: number;
}

/** Whole report posted by the bench page. */
export interface LlmBenchReport {
  model: string;
  /** model file size in bytes */
  fileBytes: number;
  adapter: string;
  userAgent: string;
  engines: EngineRuns[];
  /** copy-kernel bandwidth on the WebGPU adapter (bytes read + written per second), null without WebGPU */
  copyBytesPerS: number | null;
  /** weight bytes one decode step reads (f32 weights as our runtime holds them) */
  decodeWeightBytes: number;
}

/** Bytes a matrix occupies as the GPU holds it (f32 values or Q8_0/Q4_0 blocks). */
const matrixBytes = (m: WeightMatrix) => (m instanceof Float32Array ? m.byteLength : m.bytes.byteLength);

/**
 * Bytes of weights one decode step streams, as stored on the GPU (quantized matrices as blocks):
 * every layer matrix and norm once, the classifier in full, the final norm, one embedding row.
 */
export function decodeWeightBytes(w: LlamaWeights<WeightMatrix>): number {
  const c = w.config;
  const layers = w.layers.reduce(
    (sum, l) =>
      sum +
      [l.wq, l.wk, l.wv, l.wo, l.w1, l.w2, l.w3].reduce((s, m) => s + matrixBytes(m), 0) +
      l.attnNorm.byteLength +
      l.ffnNorm.byteLength,
    0,
  );
  const classifier = matrixBytes(w.classifier ?? w.tokenEmbedding);
  const embeddingRow = matrixBytes(w.tokenEmbedding) / c.vocabSize;
  return layers + classifier + embeddingRow + w.finalNorm.byteLength;
}

/** Medians of `runs` as rates (prefill tok/s, decode tok/s) and TTFT. */
export function summarizeEngine({ engine, runs }: EngineRuns): EngineSummary {
  return {
    engine,
    runs: runs.length,
    promptTokens: median(runs.map((r) => r.promptTokens)),
    prefillTokPerS: median(runs.map((r) => (1000 * r.promptTokens) / r.prefillMs)),
    decodeTokPerS: median(runs.map((r) => (1000 * r.decodeTokens) / r.decodeMs)),
    ttftMs: median(runs.map((r) => r.ttftMs)),
  };
}

const fixed = (x: number, digits = 1) => (Number.isFinite(x) ? x.toFixed(digits) : '—');

/** The Markdown body of the bench:llm section. */
export function llmBenchMarkdown(
  report: LlmBenchReport,
  run: { command: string; date: string; load: string },
): string {
  const rows = report.engines.map(summarizeEngine);
  const peer = rows.find((r) => r.engine.startsWith('wllama'));
  const ratio = (x: number, y: number | undefined) => (y ? `${fixed(x / y, 2)}×` : '—');
  const lines = [
    `Model: ${report.model} (${(report.fileBytes / 1e6).toFixed(2)} MB GGUF), greedy, the same file for every engine.`,
    `Adapter: ${report.adapter}. Browser: ${report.userAgent}. ${run.date}, ${run.load}.`,
    `Reproduce: \`${run.command}\`. Medians of ${rows[0]?.runs ?? 0} runs each; ratios are ours ÷ wllama (higher is better for tok/s, lower for TTFT).`,
    '',
    '| engine | prompt tokens | prefill tok/s | decode tok/s | TTFT ms | prefill vs wllama | decode vs wllama | TTFT vs wllama |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.engine} | ${r.promptTokens} | ${fixed(r.prefillTokPerS)} | ${fixed(r.decodeTokPerS)} | ${fixed(r.ttftMs, 2)} | ` +
        `${ratio(r.prefillTokPerS, peer?.prefillTokPerS)} | ${ratio(r.decodeTokPerS, peer?.decodeTokPerS)} | ${ratio(r.ttftMs, peer?.ttftMs)} |`,
    ),
  ];
  lines.push(
    '',
    'How each figure is taken: ours runs in the bench worker (no rpc hop); prefill = TTFT = wall time from the prompt ' +
      'forward to the first token id read back (top-1 on the backend); decode = wall time of the following ' +
      "forward + top-1 steps. wllama: prefill and decode rates are llama.cpp's own timings (prompt_ms, " +
      'predicted_ms); its TTFT is wall time from createCompletion to the first streamed text, which includes ' +
      "the messages to and from wllama's worker.",
  );
  const gpu = rows.find((r) => r.engine.includes('WebGPU'));
  if (report.copyBytesPerS && gpu) {
    const achieved = report.decodeWeightBytes * gpu.decodeTokPerS;
    lines.push(
      '',
      `Memory-bound ceiling on this adapter: a WGSL copy kernel moves ${fixed(report.copyBytesPerS / 1e9, 2)} GB/s (read + write). ` +
        `Our WebGPU decode streams ${fixed(report.decodeWeightBytes / 1e6, 2)} MB of weights per token (as the GPU holds them), i.e. ` +
        `${fixed(achieved / 1e9, 3)} GB/s = ${fixed((100 * achieved) / report.copyBytesPerS, 2)} % of the copy bandwidth ` +
        '(for a model this small, per-dispatch overhead dominates, not memory traffic).',
    );
  }
  return lines.join('\n');
}
