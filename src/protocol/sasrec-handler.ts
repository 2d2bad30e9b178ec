/**
 * The SASRec worker's request handlers (workers/sasrec.worker.ts only wires these to `self`).
 * load: fetch manifest + weights + items.json from the same origin, choose the backend, build a
 * ranking session (progress per step with bytes: sasrec-load-progress.ts; Cancel until it is in use). rank: top-k with scores. attribution: attention-based "because you watched".
 * stats / loseDevice: resource counts and a simulated device loss, for tests and diagnostics.
 */
import { z } from 'zod';
import { FastCpuOps } from '../gpu/cpu-fast/fast-cpu-ops.ts';
import { DeviceLostError } from '../gpu/device.ts';
import { GpuOps } from '../gpu/gpu-ops.ts';
import type { Tensor, TensorOps } from '../gpu/ops.ts';
import { SasrecSession } from '../sasrec/session.ts';
import { loadSasrecModel, ModelIntegrityError, type SasrecWeights } from '../sasrec/weights.ts';
import { chooseBackend, type GpuOpsFactory } from './backend-choice.ts';
import { DeviceWarmUp } from './device-warm-up.ts';
import { InvalidRequestError, LocalRecError, ModelLoadError, ModelNotLoadedError } from './errors.ts';
import type { Backend } from './messages.ts';
import type { RequestMap } from './messages-sasrec.ts';
import type { Handlers } from './rpc.ts';
import { attributeItem, attributionInput } from './sasrec-attribution.ts';
import { parsePayload } from './payload.ts';
import { fetchWithProgress, uploadWithProgress, weightBytes } from './sasrec-load-progress.ts';
import { explainOnModel } from '../rec/explain-model.ts';

/** What the handlers need from their surroundings (injected so Node tests can supply them). */
export interface SasrecHandlerEnv {
  fetch: typeof fetch;
  /** navigator.gpu, if any */
  gpu: GPU | undefined;
  createGpuOps: GpuOpsFactory;
  /** the origin requests may go to, e.g. "http://127.0.0.1:4173"; model URLs elsewhere are refused */
  origin: string;
  inWorker: boolean;
  /** milliseconds clock (performance.now) */
  now: () => number;
}

const loadSchema = z.object({
  modelUrl: z.string().min(1),
  backend: z.enum(['auto', 'cpu', 'webgpu']).optional(),
});
const historySchema = z.array(z.number().int().positive()).min(1, 'history needs at least one item');
const rankSchema = z.object({
  history: historySchema,
  k: z.number().int().min(1).max(1000),
  excludeHistory: z.boolean().optional(),
});
const attributionSchema = z.object({
  history: historySchema,
  items: z.array(z.number().int().positive()).max(1000),
  top: z.number().int().min(1).max(50),
});

const explainSchema = attributionSchema.extend({
  maxOcclusion: z.number().int().min(0).max(1000).optional(),
});

interface Loaded {
  session: SasrecSession<Tensor>;
  /** the backend's TensorOps (for resource counts) */
  ops: TensorOps<Tensor>;
  weights: SasrecWeights;
  backend: Backend;
}

/** Fetch `name` under `base`; HTTP failures become ModelLoadError with the URL and status. */
async function fetchBytes(env: SasrecHandlerEnv, base: URL, name: string): Promise<ArrayBuffer> {
  const url = new URL(name, base);
  let response: Response;
  try {
    response = await env.fetch(url.href);
  } catch (error) {
    // the page worker's fetch reads the model store (src/store/worker-fetch.ts): its named errors
    // (corrupt file, storage full) reach the page as they are
    if (error instanceof ModelIntegrityError || error instanceof LocalRecError) throw error;
    throw new ModelLoadError(`Could not fetch ${url.href}: ${String(error)}. Is the server running?`, {
      url: url.href,
    });
  }
  if (!response.ok) {
    throw new ModelLoadError(
      `${url.href} answered HTTP ${response.status}; the model directory must contain ${name}.`,
      {
        url: url.href,
        status: response.status,
      },
    );
  }
  return response.arrayBuffer();
}

/** Parse items.json: a list of exactly `count` string keys. */
function parseItemKeys(bytes: ArrayBuffer, count: number): string[] {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(bytes));
  } catch (error) {
    throw new ModelLoadError(`items.json is not JSON (${String(error)}); re-export the model.`);
  }
  const parsed = z.array(z.union([z.string(), z.number()])).safeParse(value);
  if (!parsed.success || parsed.data.length !== count) {
    throw new ModelLoadError(
      `items.json must list the ${count} item keys of ids 1..${count}; got ${Array.isArray(value) ? value.length : typeof value}.`,
    );
  }
  return parsed.data.map(String);
}

/** Resolve `modelUrl` to a directory URL on `origin`; refuse anything that would leave it. */
function modelBase(env: SasrecHandlerEnv, modelUrl: string): URL {
  const base = new URL(modelUrl.endsWith('/') ? modelUrl : `${modelUrl}/`, `${env.origin}/`);
  if (base.origin !== env.origin) {
    throw new InvalidRequestError(
      `Model URL ${base.href} is not on ${env.origin}; LocalRec only loads same-origin models.`,
    );
  }
  return base;
}

/** The message of the named error a request fails with when the WebGPU device was lost under it. */
function deviceLostMessage(lost: DeviceLostError, kind: string, now: Backend, again: boolean): string {
  const where =
    now === 'webgpu'
      ? 're-created the WebGPU device and reloaded the model on it'
      : again
        ? 'lost the re-created WebGPU device too and moved the model to the CPU'
        : 'could not re-create the WebGPU device and moved the model to the CPU';
  return `The WebGPU device was lost (${lost.reason}) during ${kind}; LocalRec ${where}. Send the request again.`;
}

/** The three SASRec handlers over one model slot. */
export function createSasrecHandlers(env: SasrecHandlerEnv): Handlers<RequestMap> {
  let loaded: Loaded | undefined;
  /** true from a device loss until a request succeeds on the re-created device */
  let lostBefore = false;
  /** compiles the lost device's pipelines on the re-created one, in the background */
  const warmUp = new DeviceWarmUp();
  const need = (kind: string): Loaded => {
    if (!loaded) throw new ModelNotLoadedError(`${kind} needs a model: send sasrec.load first.`);
    return loaded;
  };
  const place = (ops: TensorOps<Tensor>, weights: SasrecWeights, backend: Backend): Loaded => ({
    session: new SasrecSession<Tensor>(ops, weights),
    ops,
    weights,
    backend,
  });
  const onCpu = (weights: SasrecWeights): Loaded => place(new FastCpuOps(), weights, 'cpu');
  /** A new session for `weights` on a re-created WebGPU device, or on the CPU when that fails. */
  const recreate = async (weights: SasrecWeights): Promise<Loaded> => {
    if (env.gpu) {
      try {
        return place(await env.createGpuOps(env.gpu), weights, 'webgpu');
      } catch {
        // no new device: the CPU below
      }
    }
    return onCpu(weights);
  };
  /**
   * Run `use` on the loaded model. If the WebGPU device is lost under it, this request fails with
   * a DeviceLostError; before it does, the engine re-creates the device and re-uploads the weights
   * (or moves the model to the CPU when no new device can be had, or when the re-created device is
   * lost before it answered anything), so the next request succeeds.
   */
  const withModel = async <R extends object>(
    kind: string,
    use: (model: Loaded) => Promise<R>,
  ): Promise<R> => {
    const current = need(kind);
    try {
      const result = await use(current);
      lostBefore = false;
      return result;
    } catch (error) {
      if (!(error instanceof DeviceLostError) || current.backend !== 'webgpu') throw error;
      try {
        current.session.dispose();
      } catch {
        // the lost device cannot free anything; dropping the references is enough
      }
      // a device lost before it answered anything is not tried again: the CPU instead
      const again = lostBefore;
      loaded = again ? onCpu(current.weights) : await recreate(current.weights);
      warmUp.start(current.ops, loaded.ops); // not awaited: the next request is not held back
      lostBefore = loaded.backend === 'webgpu';
      const message = deviceLostMessage(error, kind, loaded.backend, again);
      throw new DeviceLostError(message, { reason: error.reason });
    }
  };
  const checkIds = (history: number[], weights: SasrecWeights): void => {
    const n = weights.config.itemCount;
    const bad = history.findIndex((id) => id > n);
    if (bad >= 0)
      throw new InvalidRequestError(`history[${bad}] = ${history[bad]} is not an item id (1..${n}).`);
  };

  return {
    'sasrec.load': async (payload, ctx) => {
      const { modelUrl, backend = 'auto' } = parsePayload('sasrec.load', loadSchema, payload);
      const base = modelBase(env, modelUrl);
      const started = env.now();
      ctx.progress({ stage: 'fetch', message: 'Reading the model files…' });
      const read = fetchWithProgress((name) => fetchBytes(env, base, name), ctx.progress);
      const model = await loadSasrecModel(read);
      const itemKeys = parseItemKeys(await read('items.json'), model.manifest.config.itemCount);
      ctx.throwIfCancelled();
      ctx.progress({ stage: 'backend', message: 'Starting the compute backend…' });
      const choice = await chooseBackend(backend, env.gpu, env.createGpuOps, model.weights);
      ctx.throwIfCancelled(); // cancelled by the page: the loaded model stays
      const where = choice.backend === 'webgpu' ? 'to the GPU' : 'to the CPU backend';
      const next = uploadWithProgress(
        choice.ops,
        weightBytes(model.weights),
        `Uploading weights ${where}…`,
        ctx.progress,
        () => place(choice.ops, model.weights, choice.backend),
      );
      if (choice.backend === 'webgpu') {
        // the first ranking compiles the pipelines: here, with a bar and Cancel, not on the user's first request
        ctx.progress({ stage: 'compile', message: 'Compiling shaders (first ranking on WebGPU)…' });
        await next.session.rank(Int32Array.of(1), 1);
      }
      if (ctx.signal.aborted) next.session.dispose();
      ctx.throwIfCancelled(); // the loaded model stays
      warmUp.cancel();
      loaded?.session.dispose();
      loaded = next;
      const { itemCount, maxLen } = model.manifest.config;
      return {
        modelId: model.manifest.id,
        itemCount,
        maxLen,
        backend: choice.backend,
        ...(choice.fallbackReason === undefined ? {} : { fallbackReason: choice.fallbackReason }),
        ...(choice.calibration === undefined ? {} : { calibration: choice.calibration }),
        itemKeys,
        inWorker: env.inWorker,
        ms: env.now() - started,
      };
    },

    'sasrec.rank': async (payload) => {
      const { history, k, excludeHistory = true } = parsePayload('sasrec.rank', rankSchema, payload);
      return withModel('sasrec.rank', async ({ session, weights, backend }) => {
        checkIds(history, weights);
        const started = env.now();
        const top = await session.rank(Int32Array.from(history), k, { excludeHistory });
        const ms = env.now() - started;
        return {
          ids: Array.from(top.ids),
          scores: Array.from(top.scores),
          backend,
          ms,
          incremental: top.incremental,
        };
      });
    },

    'sasrec.attribution': async (payload) => {
      const { history, items, top } = parsePayload('sasrec.attribution', attributionSchema, payload);
      return withModel('sasrec.attribution', async ({ session, weights, backend }) => {
        checkIds([...history, ...items], weights);
        const started = env.now();
        await session.rank(Int32Array.from(history), 1); // same history → cache reused, nothing recomputed
        const { items: window, weights: attention } = await session.attribution(); // [w], [w]
        const input = attributionInput(weights, window, attention, history.length);
        const because = items.map((id) => attributeItem(input, id, top));
        return { because, backend, ms: env.now() - started };
      });
    },

    'sasrec.explain': async (payload) => {
      const { history, items, top, maxOcclusion } = parsePayload('sasrec.explain', explainSchema, payload);
      return withModel('sasrec.explain', async (model) => {
        checkIds([...history, ...items], model.weights);
        const started = env.now();
        const facts = await explainOnModel(model, history, items, top, maxOcclusion);
        return { ...facts, backend: model.backend, ms: env.now() - started };
      });
    },

    'sasrec.stats': async () => {
      const { ops, backend } = need('sasrec.stats');
      const pool = ops instanceof GpuOps ? ops.pool.stats() : null;
      const liveGpuBytes = pool?.liveBytes ?? null;
      return { backend, liveGpuBuffers: pool?.live ?? null, liveGpuBytes, warmUp: warmUp.state };
    },

    'sasrec.loseDevice': async () => {
      const { ops, backend } = need('sasrec.loseDevice');
      if (!(ops instanceof GpuOps)) return { backend, destroyed: false };
      ops.context.device.destroy(); // not ops.destroy(): the pool stays as a lost device leaves it
      await ops.context.lost;
      return { backend, destroyed: true };
    },
  };
}
