/**
 * `npm run generate -- --model <file|HF folder> [--tokenizer <file>] --prompt <text> --max-tokens N
 *   --temperature T --top-p P --seed S [--portable] --backend cpu|webgpu`
 * A folder is read as a Hugging Face LLaMA checkpoint (config.json, safetensors, tokenizer.json);
 * --portable samples with the GPU sampler's seeded draw (same tokens on every backend).
 * Prints the generated text as it streams (the src/llm engine the worker uses; WebGPU in Node
 * through npm `webgpu`), then a summary line on stderr.
 */
import { readFileSync, statSync } from 'node:fs';
import { FastCpuOps } from '../../src/gpu/cpu-fast/fast-cpu-ops.ts';
import { GpuOps } from '../../src/gpu/gpu-ops.ts';
import type { LlamaOps, Tensor } from '../../src/gpu/ops.ts';
import { LlamaForward } from '../../src/llm/forward.ts';
import { generate } from '../../src/llm/generate.ts';
import { loadLlamaFile, tokenizerFor } from '../../src/llm/load/model-file.ts';
import { nodeGpuContext } from '../../test/helpers/webgpu-node.ts';
import type { TextTokenizer } from '../../src/llm/tokenizer.ts';
import type { LlamaWeights, WeightMatrix } from '../../src/llm/weights.ts';
import { CliArgs, UsageError } from './cli-args.ts';
import { loadHfModelDir } from './hf-model-dir.ts';

const USAGE = `usage: npm run generate -- --model <file.gguf|file.bin|HF folder> [--tokenizer <tok.bin>] [--prompt <text>]
  [--max-tokens 256] [--temperature 0] [--top-p 1] [--seed 0] [--portable] [--backend cpu|webgpu]`;

/** The model and tokenizer from a GGUF / llama2.c file or a Hugging Face folder. */
function loadModel(args: CliArgs): {
  weights: LlamaWeights<WeightMatrix>;
  tokenizer: TextTokenizer;
  description: string;
} {
  const path = args.need('model');
  if (statSync(path).isDirectory()) return loadHfModelDir(path);
  // Q8_0 / Q4_0 matrices stay quantized on the GPU (dequantized on upload for the CPU backends)
  const loaded = loadLlamaFile(new Uint8Array(readFileSync(path)), { keepQuantized: true });
  const tokenizerPath = args.get('tokenizer');
  const tokenizer = tokenizerFor(
    loaded,
    tokenizerPath ? new Uint8Array(readFileSync(tokenizerPath)) : undefined,
  );
  return { weights: loaded.weights, tokenizer, description: loaded.description };
}

/** The requested backend's ops and a label naming what ran. */
async function createOps(backend: string): Promise<{ ops: LlamaOps<Tensor>; label: string }> {
  if (backend === 'cpu') return { ops: new FastCpuOps(), label: 'cpu (FastCpuOps)' };
  if (backend !== 'webgpu')
    throw new UsageError(`--backend must be cpu or webgpu, got "${backend}"\n${USAGE}`);
  const probe = await nodeGpuContext();
  if (!probe.ok) throw new Error(`no WebGPU adapter in Node: ${probe.reason}`);
  return { ops: new GpuOps(probe.context), label: `webgpu (${probe.backend})` };
}

async function main(argv: string[]): Promise<void> {
  const args = new CliArgs(argv, USAGE);
  const loaded = loadModel(args);
  const tokenizer = loaded.tokenizer;
  const maxTokens = args.number('max-tokens', 256);
  const prompt = args.get('prompt') ?? '';
  const { ops, label } = await createOps(args.get('backend') ?? 'cpu');
  const capacity = Math.min(loaded.weights.config.contextLength, tokenizer.encode(prompt).length + maxTokens);
  const model = new LlamaForward(ops, loaded.weights, { capacity });
  const started = performance.now();
  const run = generate(model, tokenizer, prompt, {
    maxTokens,
    temperature: args.number('temperature', 0),
    topP: args.number('top-p', 1),
    seed: args.number('seed', 0),
    portable: args.has('portable'),
  });
  process.stdout.write(prompt);
  let step = await run.next();
  while (!step.done) {
    process.stdout.write(step.value.text);
    step = await run.next();
  }
  const seconds = (performance.now() - started) / 1000;
  const { tokens, stopReason, promptTokens } = step.value;
  process.stdout.write('\n');
  console.error(
    `[${loaded.description} on ${label}] ${promptTokens} prompt + ${tokens.length} generated tokens ` +
      `in ${seconds.toFixed(2)} s (${(tokens.length / seconds).toFixed(1)} tok/s), stop: ${stopReason}`,
  );
  model.dispose();
  if (ops instanceof GpuOps) ops.destroy();
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
  process.exit(1);
});
