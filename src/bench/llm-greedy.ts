/**
 * bench-llm.html's greedy cross-check (`?check=greedy`): for each GGUF file on our origin, greedy
 * decoding from BOS by our runtime (WebGPU when present, FastCpuOps, CpuOps — through
 * `generateText`, the path the LLM worker uses) and by `@wllama/wllama` (llama.cpp in wasm) on the
 * same bytes. Each engine reports the token pieces it produced and its text, so a test can compare
 * them token by token; wllama's pieces come from llama.cpp's per-token logprobs.
 */
import type { Wllama } from '@wllama/wllama';
import { z } from 'zod';
import { acquireDevice } from '../gpu/device.ts';
import { CpuOps } from '../gpu/cpu-ops.ts';
import { FastCpuOps } from '../gpu/cpu-fast/fast-cpu-ops.ts';
import { GpuOps } from '../gpu/gpu-ops.ts';
import type { LlamaOps, Tensor } from '../gpu/ops.ts';
import { LlamaForward } from '../llm/forward.ts';
import { generateText } from '../llm/generate.ts';
import { loadGgufLlama } from '../llm/load/gguf-llama.ts';
import { Tokenizer, TokenTextStream } from '../llm/tokenizer.ts';
import { loadWllama } from './llm-wllama.ts';

/** What the greedy cross-check runs. */
export interface GreedyCheckRequest {
  kind: 'greedy';
  /** GGUF files on our origin, e.g. ["llm/stories260K.gguf"] */
  modelUrls: string[];
  /** tokens to generate after BOS */
  tokens: number;
}

/** One engine's greedy output for one file. */
export interface GreedyRun {
  engine: string;
  /** generated token ids */
  ids: number[];
  /** the text each generated token prints (the first keeps its leading space, as llama.cpp's) */
  pieces: string[];
  text: string;
}

/** Every engine's greedy output for one file. */
export interface GreedyFileReport {
  modelUrl: string;
  /** what our loader made of the file, e.g. "GGUF v3 (llama, Q8_0)" */
  description: string;
  runs: GreedyRun[];
}

/** The greedy cross-check's answer. */
export interface GreedyCheckReport {
  kind: 'greedy';
  adapter: string;
  files: GreedyFileReport[];
}

/** wllama's answer had no per-token pieces. */
export class WllamaGreedyError extends Error {
  override readonly name = 'WllamaGreedyError';
}

/** Our greedy generation from BOS on `ops`: ids, per-token text and the whole text. */
async function ourGreedy(
  engine: string,
  ops: LlamaOps<Tensor>,
  file: ReturnType<typeof loadGgufLlama>,
  tokenizer: Tokenizer,
  tokens: number,
): Promise<GreedyRun> {
  const model = new LlamaForward(ops, file.weights, { capacity: tokens + 8 });
  const result = await generateText(model, tokenizer, '', { maxTokens: tokens });
  // each token's own text as llama.cpp prints it (no BOS-strip of the first leading space)
  const stream = new TokenTextStream(tokenizer);
  const pieces = result.tokens.map((id) => stream.push(id));
  return { engine, ids: result.tokens, pieces, text: result.text };
}

/**
 * llama.cpp's per-token logprobs as wllama 3.8 really returns them (its .d.ts declares the older
 * OpenAI `tokens` list): one entry per generated token with its id and text.
 */
const WllamaLogprobs = z.object({
  content: z.array(z.object({ id: z.number().int(), token: z.string() })),
});

/** wllama's greedy generation from BOS (empty prompt; llama.cpp adds BOS), EOS respected. */
async function wllamaGreedy(wllama: Wllama, tokens: number): Promise<GreedyRun> {
  const response = await wllama.createCompletion({
    prompt: '',
    max_tokens: tokens,
    temperature: 0,
    logprobs: 1,
  });
  const choice = response.choices[0];
  const parsed = WllamaLogprobs.safeParse(choice?.logprobs);
  if (!choice || !parsed.success) {
    throw new WllamaGreedyError(
      `wllama's completion has no per-token logprobs {content: [{id, token}]}: ${JSON.stringify(choice).slice(0, 300)}`,
    );
  }
  const steps = parsed.data.content;
  return {
    engine: 'wllama',
    ids: steps.map((s) => s.id),
    pieces: steps.map((s) => s.token),
    text: choice.text,
  };
}

/** Runs the check on every file; `say` reports progress. */
export async function runGreedyCheck(
  request: GreedyCheckRequest,
  say: (line: string) => void,
): Promise<GreedyCheckReport> {
  let gpu: GpuOps | null = null;
  let adapter = 'no WebGPU adapter';
  if ('gpu' in navigator) {
    const context = await acquireDevice(navigator.gpu);
    const info = context.device.adapterInfo;
    adapter = [info.vendor, info.architecture].filter(Boolean).join(' ') || 'unnamed adapter';
    gpu = new GpuOps(context);
  }
  const files: GreedyFileReport[] = [];
  for (const modelUrl of request.modelUrls) {
    const response = await fetch(new URL(modelUrl, self.location.origin));
    if (!response.ok) throw new Error(`${modelUrl} answered HTTP ${response.status}`);
    const bytes = new Uint8Array(await response.arrayBuffer()); // [file bytes]
    const file = loadGgufLlama(bytes, { keepQuantized: true });
    if (!file.vocabulary) throw new Error(`${modelUrl} has no embedded vocabulary`);
    const tokenizer = new Tokenizer(file.vocabulary);
    const runs: GreedyRun[] = [];
    if (gpu) runs.push(await ourGreedy('ours · WebGPU', gpu, file, tokenizer, request.tokens));
    runs.push(await ourGreedy('ours · FastCpuOps', new FastCpuOps(), file, tokenizer, request.tokens));
    runs.push(await ourGreedy('ours · CpuOps', new CpuOps(), file, tokenizer, request.tokens));
    const wllama = await loadWllama(bytes, request.tokens + 8);
    try {
      runs.push(await wllamaGreedy(wllama, request.tokens));
    } finally {
      await wllama.exit();
    }
    say(`${modelUrl}: ${runs.map((r) => `${r.engine} ${r.pieces.length} tokens`).join(', ')}`);
    files.push({ modelUrl, description: file.description, runs });
  }
  return { kind: 'greedy', adapter, files };
}
