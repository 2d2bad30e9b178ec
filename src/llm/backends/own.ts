/**
 * Our own runtime behind the `LanguageModel` interface: a GGUF or llama2.c file (src/llm/load),
 * its tokenizer, and `LlamaForward` on the LlamaOps the caller chose (CpuOps, FastCpuOps, GpuOps).
 */
import type { LlamaOps, Tensor } from '../../gpu/ops.ts';
import { LlamaForward } from '../forward.ts';
import { generate } from '../generate.ts';
import {
  LanguageModelDisposedError,
  type Continuation,
  type ContinuationScore,
  type LanguageModel,
  type LanguageModelGenerateOptions,
  type LanguageModelGeneration,
  type LanguageModelInfo,
  type LanguageModelLoadOptions,
  type LanguageModelToken,
} from '../language-model.ts';
import { loadLlamaFile, tokenizerFor } from '../load/model-file.ts';
import { score } from '../score.ts';
import type { TextTokenizer } from '../tokenizer.ts';
import { SerialLock } from './serial-lock.ts';

/** The model file's bytes and, for llama2.c checkpoints, the tokenizer file's. */
export interface OwnModelSource {
  model: Uint8Array;
  tokenizer?: Uint8Array;
}

/** Options of `loadOwnLanguageModel`. */
export interface OwnLoadOptions extends LanguageModelLoadOptions {
  /** the backend to run on (the caller owns it: dispose() does not destroy a GPU device) */
  ops: LlamaOps<Tensor>;
  /** KV-cache positions (default: the model's context length, at most 2048) */
  capacity?: number;
}

/** A LlamaForward + Tokenizer as a LanguageModel. */
class OwnLanguageModel implements LanguageModel {
  readonly info: LanguageModelInfo;
  readonly #lock = new SerialLock();
  #model: LlamaForward<Tensor> | null;

  constructor(
    model: LlamaForward<Tensor>,
    readonly tokenizer: TextTokenizer,
    description: string,
  ) {
    this.#model = model;
    this.info = {
      id: description,
      backend: model.ops.backend,
      contextLength: model.cache.capacity,
      vocabSize: tokenizer.size,
      bos: tokenizer.bos,
      eos: tokenizer.eos,
      canScore: true,
      canConstrain: true,
    };
  }

  #live(): LlamaForward<Tensor> {
    if (!this.#model) throw new LanguageModelDisposedError(`${this.info.id} was disposed; load it again`);
    return this.#model;
  }

  encode(text: string): Int32Array {
    this.#live();
    return this.tokenizer.encode(text);
  }

  async *generate(
    prompt: string,
    options: LanguageModelGenerateOptions,
  ): AsyncGenerator<LanguageModelToken, LanguageModelGeneration, void> {
    this.#live();
    const release = await this.#lock.acquire();
    try {
      const run = generate(this.#live(), this.tokenizer, prompt, options);
      let step = await run.next();
      while (!step.done) {
        yield step.value;
        step = await run.next();
      }
      const { tokens, text, stopReason, promptTokens } = step.value;
      return { text, tokenIds: tokens, tokenCount: tokens.length, stopReason, promptTokens };
    } finally {
      release();
    }
  }

  score(
    prompt: string,
    continuations: readonly Continuation[],
    signal?: AbortSignal,
  ): Promise<ContinuationScore[]> {
    this.#live();
    return this.#lock.run(() => score(this.#live(), this.tokenizer, prompt, continuations, signal));
  }

  async dispose(): Promise<void> {
    await this.#lock.run(async () => {
      this.#model?.dispose();
      this.#model = null;
    });
  }
}

/**
 * Parses the model file, builds its tokenizer and uploads the weights to `options.ops`.
 * @throws the loaders' named errors (GgufFormatError, Llama2cFormatError, TokenizerFormatError, …)
 */
export async function loadOwnLanguageModel(
  source: OwnModelSource,
  options: OwnLoadOptions,
): Promise<LanguageModel> {
  const report = options.onProgress ?? (() => {});
  report({ stage: 'parse', message: 'Reading the model file…', fraction: 0 });
  // Q8_0 / Q4_0 matrices stay blocks: WebGPU runs them quantized, the CPU backends dequantise on upload
  const loaded = loadLlamaFile(source.model, { keepQuantized: true });
  const tokenizer = tokenizerFor(loaded, source.tokenizer);
  report({
    stage: 'upload',
    message: `Uploading ${loaded.description} weights (${options.ops.backend})…`,
    fraction: 0.5,
  });
  const model = new LlamaForward(options.ops, loaded.weights, { capacity: options.capacity });
  report({ stage: 'ready', message: `${loaded.description} ready on ${options.ops.backend}`, fraction: 1 });
  return new OwnLanguageModel(model, tokenizer, loaded.description);
}
