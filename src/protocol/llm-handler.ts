/**
 * The LLM worker's request handlers (workers/llm.worker.ts only wires these to `self`).
 * llm.load: fetch a GGUF / llama2.c file (and tokenizer) from the page's origin with progress, or
 * read a GGUF the user picked from the model store (`storedModel`, checked by readKeptGguf), pick
 * the backend, build our `LanguageModel` (a load cancelled midway leaves the previous model in
 * place). llm.unload: dispose that model (the page's "Delete everything").
 * llm.generate: stream tokens as progress events; a newer generate aborts a stale one (rpc
 * per-kind cancellation → the handler's signal).
 * llm.score: log-likelihoods of continuations.
 */
import { z } from 'zod';
import { FastCpuOps } from '../gpu/cpu-fast/fast-cpu-ops.ts';
import type { LlamaOps, Tensor } from '../gpu/ops.ts';
import { loadOwnLanguageModel } from '../llm/backends/own.ts';
import { calibrateLanguageModels } from '../llm/calibrate.ts';
import { chatTemplateFromGguf } from '../llm/chat-template.ts';
import type { LanguageModel } from '../llm/language-model.ts';
import { parseGguf } from '../llm/load/gguf.ts';
import { isGguf } from '../llm/load/model-file.ts';
import type { ModelStore } from '../store/model-store.ts';
import { readKeptGguf } from '../store/stored-gguf.ts';
import {
  BackendUnavailableError,
  InvalidRequestError,
  ModelLoadError,
  ModelNotLoadedError,
} from './errors.ts';
import type { Backend, BackendPreference } from './messages.ts';
import type { LlmLoadResult, LlmRequestMap } from './messages-llm.ts';
import type { HandlerContext, Handlers } from './rpc.ts';
import { parsePayload } from './payload.ts';
import { fetchWithProgress, sameOriginUrl } from './fetch-model.ts';

/** What the handlers need from their surroundings (injected so Node tests can supply them). */
export interface LlmHandlerEnv {
  fetch: typeof fetch;
  /** navigator.gpu, if any */
  gpu: GPU | undefined;
  /** WebGPU LlamaOps on `gpu`; throws when that fails */
  createGpuOps: (gpu: GPU) => Promise<LlamaOps<Tensor>>;
  /** the only origin model files may come from, e.g. "http://127.0.0.1:4173" */
  origin: string;
  inWorker: boolean;
  /** milliseconds clock (performance.now) */
  now: () => number;
  /** lets queued messages (a newer request) in between tokens; default: a zero-delay timeout */
  yieldToEvents?: () => Promise<void>;
  /** the model store, for `storedModel` loads (absent: such loads fail with ModelLoadError) */
  openStore?: () => Promise<ModelStore>;
}

/** The model `llm.load` placed; shared with other handler sets of the same worker (src/rec/prompted-handler.ts). */
export class LlmSlot {
  loaded: { model: LanguageModel; backend: Backend } | undefined;
  /** the loaded GGUF's `tokenizer.chat_template` (null: none, or not a GGUF) */
  chatTemplate: string | null = null;

  /** The loaded model, or ModelNotLoadedError naming `kind`. */
  need(kind: string): { model: LanguageModel; backend: Backend } {
    if (!this.loaded) throw new ModelNotLoadedError(`${kind} needs a model: send llm.load first.`);
    return this.loaded;
  }
}

const loadSchema = z.object({
  modelUrl: z.string().min(1).optional(),
  storedModel: z
    .string()
    .regex(/^gguf-[0-9a-f]{16}$/)
    .optional(),
  tokenizerUrl: z.string().min(1).optional(),
  backend: z.enum(['auto', 'cpu', 'webgpu']).optional(),
  contextLength: z
    .number()
    .int()
    .min(1)
    .max(1 << 20)
    .optional(),
});
const generateSchema = z.object({
  prompt: z.string(),
  maxTokens: z
    .number()
    .int()
    .min(0)
    .max(1 << 16),
  temperature: z.number().min(0).optional(),
  topP: z.number().gt(0).max(1).optional(),
  seed: z.number().int().optional(),
  stop: z.array(z.string()).optional(),
  allowedTokenIds: z.array(z.number().int().min(0)).min(1).optional(),
});
const scoreSchema = z.object({
  prompt: z.string(),
  continuations: z.array(z.string().min(1)).max(1000),
});

/** A loaded model and the backend it runs on. */
interface PlacedModel {
  model: LanguageModel;
  backend: Backend;
  /** why the model is not on WebGPU when 'auto' was asked */
  fallbackReason?: string;
  /** the 'auto' calibration's one-line summary, when both backends were measured */
  calibration?: string;
}

/**
 * Loads the model for `preference`: 'cpu' → FastCpuOps; 'webgpu' → WebGPU or BackendUnavailableError;
 * 'auto' → loaded on both, then the faster one that agrees with the CPU (src/llm/calibrate.ts).
 */
async function loadOnBackend(
  env: LlmHandlerEnv,
  preference: BackendPreference,
  load: (ops: LlamaOps<Tensor>) => Promise<LanguageModel>,
): Promise<PlacedModel> {
  const onCpu = () => load(new FastCpuOps());
  if (preference === 'cpu') return { model: await onCpu(), backend: 'cpu' };
  let reason = 'navigator.gpu is missing';
  let onGpu: LanguageModel | undefined;
  if (env.gpu) {
    try {
      onGpu = await load(await env.createGpuOps(env.gpu));
    } catch (error) {
      reason = `WebGPU failed to start: ${error instanceof Error ? error.message : String(error)}`;
    }
  }
  if (!onGpu) {
    if (preference === 'webgpu') throw new BackendUnavailableError(`WebGPU was asked for but ${reason}.`);
    return { model: await onCpu(), backend: 'cpu', fallbackReason: reason };
  }
  if (preference === 'webgpu') return { model: onGpu, backend: 'webgpu' };
  const cpuModel = await onCpu();
  const { chosen, summary } = await calibrateLanguageModels(
    [
      { name: 'cpu', model: cpuModel },
      { name: 'webgpu', model: onGpu },
    ],
    { now: env.now },
  );
  const keepGpu = chosen.model === onGpu;
  await (keepGpu ? cpuModel : onGpu).dispose();
  return keepGpu
    ? { model: onGpu, backend: 'webgpu', calibration: summary }
    : { model: cpuModel, backend: 'cpu', fallbackReason: `calibration: ${summary}`, calibration: summary };
}

const zeroDelay = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** The model file's bytes: a GGUF kept in the model store, or the file at `modelUrl` on the origin. */
async function readModelBytes(
  env: LlmHandlerEnv,
  params: z.infer<typeof loadSchema>,
  ctx: HandlerContext,
): Promise<{ model: Uint8Array; kept?: LlmLoadResult['kept'] }> {
  const { storedModel, modelUrl } = params;
  if ((storedModel === undefined) === (modelUrl === undefined)) {
    throw new InvalidRequestError(
      'llm.load takes either modelUrl or storedModel (a kept GGUF), not both or neither.',
    );
  }
  if (modelUrl !== undefined)
    return { model: await fetchWithProgress(env, sameOriginUrl(env.origin, modelUrl), ctx.progress) };
  if (!env.openStore)
    throw new ModelLoadError(`${storedModel} cannot be read: this worker has no model store.`);
  ctx.progress({ stage: 'store', message: `Reading ${storedModel} from the model store…` });
  // a damaged copy is deleted and reported by readKeptGguf (ModelIntegrityError)
  const kept = await readKeptGguf(await env.openStore(), storedModel ?? '');
  if (!kept) {
    throw new ModelLoadError(
      `${storedModel} is not in this browser's model store (deleted?); pick or drop the GGUF file again.`,
    );
  }
  const { name, summary } = kept.info;
  const { arch, params: count, quant, layers } = summary;
  return { model: new Uint8Array(kept.bytes), kept: { name, arch, params: count, quant, layers } };
}

/** The LLM handlers over one model slot (`slot`: shared with other handler sets of the worker). */
export function createLlmHandlers(env: LlmHandlerEnv, slot = new LlmSlot()): Handlers<LlmRequestMap> {
  const yieldToEvents = env.yieldToEvents ?? zeroDelay;
  const need = (kind: string) => slot.need(kind);

  return {
    'llm.load': async (payload, ctx) => {
      const params = parsePayload('llm.load', loadSchema, payload);
      const tokenizerUrl = params.tokenizerUrl ? sameOriginUrl(env.origin, params.tokenizerUrl) : null;
      const started = env.now();
      const { model, kept } = await readModelBytes(env, params, ctx);
      const tokenizer = tokenizerUrl ? await fetchWithProgress(env, tokenizerUrl, ctx.progress) : undefined;
      ctx.throwIfCancelled();
      const placed = await loadOnBackend(env, params.backend ?? 'auto', (ops) =>
        loadOwnLanguageModel(
          { model, ...(tokenizer ? { tokenizer } : {}) },
          {
            ops,
            ...(params.contextLength ? { capacity: params.contextLength } : {}),
            onProgress: (p) => ctx.progress({ stage: p.stage, message: p.message }),
          },
        ),
      );
      if (ctx.signal.aborted) {
        await placed.model.dispose(); // cancelled while building: the previous model stays
        ctx.throwIfCancelled();
      }
      // the new model is in use from here on (no await between the check above and this)
      const previous = slot.loaded;
      slot.loaded = { model: placed.model, backend: placed.backend };
      slot.chatTemplate = isGguf(model) ? chatTemplateFromGguf(parseGguf(model)) : null;
      await previous?.model.dispose();
      const { info } = placed.model;
      return {
        modelId: info.id,
        backend: placed.backend,
        ...(placed.fallbackReason ? { fallbackReason: placed.fallbackReason } : {}),
        ...(placed.calibration ? { calibration: placed.calibration } : {}),
        vocabSize: info.vocabSize ?? 0,
        contextLength: info.contextLength ?? 0,
        inWorker: env.inWorker,
        ...(kept ? { kept } : {}),
        ms: env.now() - started,
      };
    },

    'llm.unload': async () => {
      // a load still running sees its cancel first (the page aborts it before unloading)
      const loaded = slot.loaded;
      slot.loaded = undefined;
      slot.chatTemplate = null;
      await loaded?.model.dispose();
      return { unloaded: loaded ? loaded.model.info.id : null };
    },

    'llm.generate': async (payload, ctx) => {
      const { allowedTokenIds, ...params } = parsePayload('llm.generate', generateSchema, payload);
      const { model, backend } = need('llm.generate');
      const allowed = allowedTokenIds ? Int32Array.from(allowedTokenIds) : null; // [allowed]
      const started = env.now();
      let firstTokenMs: number | null = null;
      const run = model.generate(params.prompt, {
        ...params,
        signal: ctx.signal,
        ...(allowed ? { allowedTokens: () => allowed } : {}),
      });
      let done = 0;
      for (let step = await run.next(); ; step = await run.next()) {
        if (step.done) {
          const r = step.value;
          const base = { text: r.text, tokenIds: r.tokenIds ?? [], stopReason: r.stopReason };
          return {
            ...base,
            promptTokens: r.promptTokens ?? 0,
            backend,
            firstTokenMs,
            ms: env.now() - started,
          };
        }
        firstTokenMs ??= env.now() - started;
        ctx.progress({ stage: 'token', token: step.value, done: ++done, total: params.maxTokens });
        await yieldToEvents();
      }
    },

    'llm.score': async (payload, ctx) => {
      const { prompt, continuations } = parsePayload('llm.score', scoreSchema, payload);
      const { model, backend } = need('llm.score');
      const started = env.now();
      const scores = await model.score(prompt, continuations, ctx.signal);
      return {
        scores: scores.map(({ logProb, meanLogProb, tokenCount }) => ({ logProb, meanLogProb, tokenCount })),
        backend,
        ms: env.now() - started,
      };
    },
  };
}
