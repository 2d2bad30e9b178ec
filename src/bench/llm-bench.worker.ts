/// <reference lib="webworker" />
/**
 * bench-llm.html's worker. The greedy cross-check (`kind: 'greedy'`) runs src/bench/llm-greedy.ts;
 * the timing bench fetches one GGUF file from our origin, then times greedy generation on
 * ours (WebGPU, FastCpuOps) and on wllama (1 thread), round-robin per run with a fresh prompt each
 * run (a different opening, so no engine reuses a cached prompt), plus the copy-kernel bandwidth.
 */
import { acquireDevice } from '../gpu/device.ts';
import { FastCpuOps } from '../gpu/cpu-fast/fast-cpu-ops.ts';
import { GpuOps } from '../gpu/gpu-ops.ts';
import type { Tensor } from '../gpu/ops.ts';
import { LlamaForward } from '../llm/forward.ts';
import { loadGgufLlama } from '../llm/load/gguf-llama.ts';
import { Tokenizer } from '../llm/tokenizer.ts';
import { copyBandwidth } from './llm-bandwidth.ts';
import { runGreedyCheck } from './llm-greedy.ts';
import {
  benchPrompts,
  type LlmBenchMessage,
  type LlmBenchRequest,
  type LlmPageRequest,
} from './llm-messages.ts';
import { timeOurGeneration } from './llm-ours.ts';
import {
  decodeWeightBytes,
  type EngineRuns,
  type GenerationTiming,
  type LlmBenchReport,
} from './llm-report.ts';
import { loadWllama, timeWllamaGeneration } from './llm-wllama.ts';

const post = (message: LlmBenchMessage) => self.postMessage(message);
const say = (line: string) => post({ type: 'progress', line });
const now = () => performance.now();

/** An engine under test: times one generation of a prompt. */
interface Engine {
  name: string;
  time(prompt: string, decodeTokens: number): Promise<GenerationTiming>;
}

function ourEngine(name: string, model: LlamaForward<Tensor>, tokenizer: Tokenizer): Engine {
  return { name, time: (prompt, n) => timeOurGeneration(model, tokenizer.encode(prompt), n, now) };
}

async function run(request: LlmBenchRequest): Promise<LlmBenchReport> {
  const response = await fetch(new URL(request.modelUrl, self.location.origin));
  if (!response.ok) throw new Error(`${request.modelUrl} answered HTTP ${response.status}`);
  const bytes = new Uint8Array(await response.arrayBuffer()); // [file bytes]
  // Q8_0 / Q4_0 matrices stay blocks: WebGPU runs them quantized, FastCpuOps dequantises on upload
  const { weights, vocabulary, description } = loadGgufLlama(bytes, { keepQuantized: true });
  if (!vocabulary) throw new Error(`${request.modelUrl} has no embedded vocabulary`);
  const tokenizer = new Tokenizer(vocabulary);
  const prompts = benchPrompts(tokenizer, request.promptTokens, request.warmup + request.runs);
  const capacity = request.promptTokens + request.decodeTokens + 16;
  const engines: Engine[] = [];
  let adapter = 'no WebGPU adapter';
  let copyBytesPerS: number | null = null;
  if ('gpu' in navigator) {
    const context = await acquireDevice(navigator.gpu);
    const info = context.device.adapterInfo;
    adapter =
      [info.vendor, info.architecture, info.description].filter(Boolean).join(' ') || 'unnamed adapter';
    say(`WebGPU adapter: ${adapter}; measuring copy bandwidth…`);
    copyBytesPerS = await copyBandwidth(context.device, now);
    const gpu = new GpuOps(context);
    engines.push(
      ourEngine(`ours · WebGPU (${adapter})`, new LlamaForward(gpu, weights, { capacity }), tokenizer),
    );
  }
  const cpu = new FastCpuOps();
  engines.push(
    ourEngine(
      `ours · FastCpuOps${cpu.simd ? ' (wasm SIMD)' : ''}`,
      new LlamaForward(cpu, weights, { capacity }),
      tokenizer,
    ),
  );
  const wllama = await loadWllama(bytes, capacity);
  engines.push({
    name: 'wllama 3.8.1 · wasm, 1 thread',
    time: (p, n) => timeWllamaGeneration(wllama, p, n, now),
  });
  const runs: EngineRuns[] = engines.map((e) => ({ engine: e.name, runs: [] }));
  for (const [i, prompt] of prompts.entries()) {
    for (const [j, engine] of engines.entries()) {
      const timing = await engine.time(prompt, request.decodeTokens);
      if (i >= request.warmup) runs[j].runs.push(timing);
    }
    say(`run ${i + 1}/${prompts.length}${i < request.warmup ? ' (warm-up)' : ''} done`);
  }
  await wllama.exit();
  return {
    model: `${request.modelUrl.split('/').pop() ?? request.modelUrl} (${description})`,
    fileBytes: bytes.byteLength,
    adapter,
    userAgent: navigator.userAgent,
    engines: runs,
    copyBytesPerS,
    decodeWeightBytes: decodeWeightBytes(weights),
  };
}

self.addEventListener('message', (event: MessageEvent<LlmPageRequest>) => {
  const request = event.data;
  const work = 'kind' in request ? runGreedyCheck(request, say) : run(request);
  work.then(
    (report) => post({ type: 'done', report }),
    (error: unknown) =>
      post({
        type: 'failed',
        error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      }),
  );
});
