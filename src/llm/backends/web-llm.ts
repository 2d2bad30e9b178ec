/**
 * `@mlc-ai/web-llm` behind the `LanguageModel` interface: the route to larger prebuilt MLC models
 * on capable GPUs. Opt-in: nothing is imported or downloaded until `loadWebLlmLanguageModel` is
 * called with a model id (and, for models outside web-llm's prebuilt list, the weights URL and
 * the compiled model library URL).
 *
 * Generation uses web-llm's OpenAI-style text completion API (`engine.completions.create`, raw
 * prompt, streamed). web-llm reports log-probabilities only of tokens it samples itself
 * (`logprobs` / `top_logprobs`), never of a given text, and keeps its tokenizer private; so
 * `score`, `encode` and `allowedTokens` throw UnsupportedOperationError.
 */
import type {
  AppConfig,
  Completion,
  CompletionCreateParamsStreaming,
  InitProgressReport,
  MLCEngineInterface,
} from '@mlc-ai/web-llm';
import {
  LanguageModelDisposedError,
  UnsupportedOperationError,
  type ContinuationScore,
  type LanguageModel,
  type LanguageModelGenerateOptions,
  type LanguageModelGeneration,
  type LanguageModelInfo,
  type LanguageModelLoadOptions,
  type LanguageModelToken,
  type StopReason,
} from '../language-model.ts';
import { SerialLock } from './serial-lock.ts';

/** Bad web-llm source (missing id, only one of the two URLs). */
export class WebLlmSourceError extends Error {
  override name = 'WebLlmSourceError';
}

/** Which web-llm model to load. */
export interface WebLlmSource {
  /** web-llm model id, e.g. "Llama-3.2-1B-Instruct-q4f16_1-MLC" */
  modelId: string;
  /** weights directory (MLC format); with `modelLibUrl`, for models outside the prebuilt list */
  modelUrl?: string;
  /** compiled model library (.wasm) */
  modelLibUrl?: string;
}

/** The part of web-llm's engine the adapter calls (a fake in tests implements just this). */
export interface WebLlmEngineLike {
  completions: { create(request: CompletionCreateParamsStreaming): Promise<AsyncIterable<Completion>> };
  interruptGenerate(): void;
  unload(): Promise<void>;
}

/** web-llm's real engine satisfies WebLlmEngineLike (checked by the compiler). */
export const asEngineLike = (engine: MLCEngineInterface): WebLlmEngineLike => engine;

/** Creates an engine with `modelId` loaded (default: web-llm's CreateMLCEngine, imported on demand). */
export type WebLlmEngineFactory = (
  modelId: string,
  config: { appConfig?: AppConfig; initProgressCallback: (report: InitProgressReport) => void },
) => Promise<WebLlmEngineLike>;

/** Options of `loadWebLlmLanguageModel`. */
export interface WebLlmLoadOptions extends LanguageModelLoadOptions {
  createEngine?: WebLlmEngineFactory;
}

const createRealEngine: WebLlmEngineFactory = async (modelId, config) => {
  const webllm = await import('@mlc-ai/web-llm');
  return asEngineLike(await webllm.CreateMLCEngine(modelId, config));
};

/** The appConfig for a model given by URL, or undefined to use web-llm's prebuilt list. */
export function webLlmAppConfig(source: WebLlmSource): AppConfig | undefined {
  if (!source.modelId)
    throw new WebLlmSourceError('web-llm needs a model id, e.g. "Llama-3.2-1B-Instruct-q4f16_1-MLC"');
  if (!source.modelUrl && !source.modelLibUrl) return undefined;
  if (!source.modelUrl || !source.modelLibUrl) {
    throw new WebLlmSourceError(
      'a web-llm model given by URL needs both modelUrl (MLC weights directory) and modelLibUrl (compiled .wasm)',
    );
  }
  return {
    model_list: [{ model: source.modelUrl, model_id: source.modelId, model_lib: source.modelLibUrl }],
  };
}

/** web-llm's finish reason → ours ('stop' covers both EOS and stop strings there). */
function stopReasonOf(finish: string | null, askedStops: boolean): StopReason {
  if (finish === 'length') return 'max-tokens';
  if (finish === 'abort') return 'aborted';
  return askedStops ? 'stop' : 'eos';
}

class WebLlmLanguageModel implements LanguageModel {
  readonly info: LanguageModelInfo;
  readonly #lock = new SerialLock();
  #engine: WebLlmEngineLike | null;

  constructor(engine: WebLlmEngineLike, modelId: string) {
    this.#engine = engine;
    this.info = {
      id: modelId,
      backend: 'web-llm',
      contextLength: null,
      vocabSize: null,
      bos: null,
      eos: null,
      canScore: false,
      canConstrain: false,
    };
  }

  #live(): WebLlmEngineLike {
    if (!this.#engine)
      throw new LanguageModelDisposedError(`web-llm model ${this.info.id} was disposed; load it again`);
    return this.#engine;
  }

  encode(): Int32Array {
    throw new UnsupportedOperationError(
      'web-llm does not expose its tokenizer; use the built-in runtime to tokenize',
    );
  }

  async *generate(
    prompt: string,
    options: LanguageModelGenerateOptions,
  ): AsyncGenerator<LanguageModelToken, LanguageModelGeneration, void> {
    this.#live();
    if (options.allowedTokens) {
      throw new UnsupportedOperationError(
        'web-llm cannot apply a per-step allowedTokens mask; use the built-in runtime',
      );
    }
    const release = await this.#lock.acquire();
    const { signal, stop = [] } = options;
    const engine = this.#live();
    const interrupt = () => engine.interruptGenerate();
    let text = '';
    let tokenCount = 0;
    let stopReason: StopReason = 'max-tokens';
    let promptTokens: number | null = null;
    try {
      if (options.maxTokens === 0 || signal?.aborted) {
        return {
          text,
          tokenIds: null,
          tokenCount,
          stopReason: signal?.aborted ? 'aborted' : stopReason,
          promptTokens,
        };
      }
      signal?.addEventListener('abort', interrupt);
      const stream = await engine.completions.create({
        prompt,
        stream: true,
        stream_options: { include_usage: true },
        max_tokens: options.maxTokens,
        temperature: options.temperature ?? 0,
        top_p: options.topP ?? 1,
        seed: options.seed ?? 0,
        ...(stop.length ? { stop: [...stop] } : {}),
      });
      for await (const chunk of stream) {
        if (chunk.usage) promptTokens = chunk.usage.prompt_tokens;
        const choice = chunk.choices[0];
        if (choice?.text) {
          tokenCount++;
          text += choice.text;
          yield { id: null, text: choice.text };
        }
        if (choice?.finish_reason) stopReason = stopReasonOf(choice.finish_reason, stop.length > 0);
        if (signal?.aborted) {
          stopReason = 'aborted';
          break;
        }
      }
      return { text, tokenIds: null, tokenCount, stopReason, promptTokens };
    } finally {
      signal?.removeEventListener('abort', interrupt);
      release();
    }
  }

  score(): Promise<ContinuationScore[]> {
    return Promise.reject(
      new UnsupportedOperationError(
        'web-llm returns log-probabilities only of tokens it generates, not of given continuations; ' +
          'score with the built-in runtime',
      ),
    );
  }

  async dispose(): Promise<void> {
    const engine = this.#engine;
    this.#engine = null;
    if (engine) {
      engine.interruptGenerate();
      await this.#lock.run(() => engine.unload());
    }
  }
}

/**
 * Loads a web-llm model (downloads it unless web-llm has it cached). Only call this when the user
 * asked for web-llm: it fetches from the model URL (or web-llm's prebuilt host).
 * @throws WebLlmSourceError for a bad source; web-llm's own errors (no WebGPU, missing features) pass through
 */
export async function loadWebLlmLanguageModel(
  source: WebLlmSource,
  options: WebLlmLoadOptions = {},
): Promise<LanguageModel> {
  const appConfig = webLlmAppConfig(source);
  const report = options.onProgress ?? (() => {});
  const createEngine = options.createEngine ?? createRealEngine;
  report({ stage: 'fetch', message: `Loading ${source.modelId} with web-llm…`, fraction: 0 });
  const engine = await createEngine(source.modelId, {
    ...(appConfig ? { appConfig } : {}),
    initProgressCallback: (r) => report({ stage: 'fetch', message: r.text, fraction: r.progress }),
  });
  report({ stage: 'ready', message: `${source.modelId} ready (web-llm)`, fraction: 1 });
  return new WebLlmLanguageModel(engine, source.modelId);
}
