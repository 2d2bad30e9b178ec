/**
 * The LLM worker's handlers over a real MessageChannel (rpc client ↔ serve), with stories260K
 * served from a fake same-origin fetch.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { CpuOps } from '../../src/gpu/cpu-ops.ts';
import {
  BackendUnavailableError,
  CancelledError,
  InvalidRequestError,
  ModelLoadError,
  ModelNotLoadedError,
} from '../../src/protocol/errors.ts';
import { createLlmHandlers, type LlmHandlerEnv } from '../../src/protocol/llm-handler.ts';
import type { Progress } from '../../src/protocol/messages.ts';
import type { LlmGenerateResult, LlmRequestMap } from '../../src/protocol/messages-llm.ts';
import { GgufFormatError } from '../../src/llm/load/errors.ts';
import { registerKnownErrors } from '../../src/protocol/known-errors.ts';
import { RpcClient, serve, type Handlers } from '../../src/protocol/rpc.ts';
import { REFERENCE_GREEDY_TEXT, noStories, storiesFile } from '../llm/stories-files.ts';

const ORIGIN = 'http://127.0.0.1:4173';
const MODEL = './models/stories260K.gguf';

/** Serves stories260K.gguf at /models/; records each URL asked for. */
function storiesFetch(requested: string[]): typeof fetch {
  return (async (input: string | URL | Request) => {
    const url = new URL(String(input));
    requested.push(url.href);
    if (url.pathname === '/models/bad.gguf') return new Response(new TextEncoder().encode('GGUF\x03\0\0'));
    if (url.origin !== ORIGIN || url.pathname !== '/models/stories260K.gguf')
      return new Response('no', { status: 404 });
    const bytes = storiesFile('stories260K.gguf');
    return new Response(new Uint8Array(bytes), { headers: { 'content-length': String(bytes.byteLength) } });
  }) as typeof fetch;
}

const channels: MessageChannel[] = [];
afterEach(() => {
  for (const c of channels.splice(0)) {
    c.port1.close();
    c.port2.close();
  }
});

/** A client talking to the handlers through a MessageChannel; `generated` records what the server returned. */
function connect(overrides: Partial<LlmHandlerEnv> = {}) {
  const requested: string[] = [];
  const handlers = createLlmHandlers({
    fetch: storiesFetch(requested),
    gpu: undefined,
    createGpuOps: () => Promise.resolve(new CpuOps()),
    origin: ORIGIN,
    inWorker: false,
    now: () => performance.now(),
    ...overrides,
  });
  const generated: LlmGenerateResult[] = [];
  const recording: Handlers<LlmRequestMap> = {
    ...handlers,
    'llm.generate': async (payload, ctx) => {
      const result = await handlers['llm.generate'](payload, ctx);
      generated.push(result);
      return result;
    },
  };
  const channel = new MessageChannel();
  channels.push(channel);
  serve<LlmRequestMap>(channel.port1, recording);
  return { client: new RpcClient<LlmRequestMap>(channel.port2), requested, generated };
}

describe('LLM handlers without a model', () => {
  it('refuse requests before llm.load, bad payloads and other origins', async () => {
    const { client, requested } = connect({ fetch: storiesFetch([]) });
    await expect(client.request('llm.generate', { prompt: '', maxTokens: 1 })).rejects.toThrow(
      ModelNotLoadedError,
    );
    await expect(client.request('llm.score', { prompt: '', continuations: [''] })).rejects.toThrow(
      /continuations.0/,
    );
    await expect(client.request('llm.load', { modelUrl: 'https://example.com/m.gguf' })).rejects.toThrow(
      InvalidRequestError,
    );
    await expect(client.request('llm.load', { modelUrl: './models/missing.gguf' })).rejects.toThrow(
      ModelLoadError,
    );
    expect(requested).toEqual([]);
    expect(await client.request('llm.unload', {})).toEqual({ unloaded: null });
  });

  it('bring a bad model file back to the page as its named loader error', async () => {
    registerKnownErrors();
    const { client } = connect();
    await expect(
      client.request('llm.load', { modelUrl: './models/bad.gguf', backend: 'cpu' }),
    ).rejects.toThrow(GgufFormatError);
  });

  it('say why when WebGPU is forced but cannot start', async () => {
    const { client } = connect({
      gpu: {} as GPU,
      createGpuOps: () => Promise.reject(new Error('no adapter')),
    });
    const load = client.request('llm.load', { modelUrl: MODEL, backend: 'webgpu' });
    await (noStories
      ? expect(load).rejects.toThrow()
      : expect(load).rejects.toThrow(BackendUnavailableError));
  });
});

describe.skipIf(noStories)('LLM handlers on stories260K', () => {
  it('loads with fetch progress, falling back to the CPU without WebGPU', async () => {
    const { client, requested } = connect();
    const progress: Progress[] = [];
    const loaded = await client.request(
      'llm.load',
      { modelUrl: MODEL },
      { onProgress: (p) => progress.push(p) },
    );
    expect(loaded).toMatchObject({ modelId: 'GGUF v3 (llama, F32)', backend: 'cpu', vocabSize: 512 });
    expect(loaded.fallbackReason).toMatch(/navigator.gpu/);
    expect(requested).toEqual([`${ORIGIN}/models/stories260K.gguf`]);
    const fetched = progress.filter((p) => p.stage === 'fetch');
    expect(fetched.at(-1)?.done).toBe(storiesFile('stories260K.gguf').byteLength);
  });

  it('streams generated tokens as progress events and returns the llama2.c greedy text', async () => {
    const { client } = connect();
    await client.request('llm.load', { modelUrl: MODEL, backend: 'cpu' });
    const streamed: string[] = [];
    const result = await client.request(
      'llm.generate',
      { prompt: '', maxTokens: 60 },
      { onProgress: (p) => p.token && streamed.push(p.token.text) },
    );
    expect(result.text).toBe(REFERENCE_GREEDY_TEXT);
    expect(streamed.join('')).toBe(result.text);
    expect(result.tokenIds).toHaveLength(60);
    expect(result.firstTokenMs).not.toBeNull();
    const constrained = await client.request('llm.generate', {
      prompt: 'Hi',
      maxTokens: 3,
      allowedTokenIds: [65],
    });
    expect(constrained.tokenIds).toEqual([65, 65, 65]);
  });

  it('a newer llm.generate cancels the stale one on both sides', async () => {
    const { client, generated } = connect();
    await client.request('llm.load', { modelUrl: MODEL, backend: 'cpu', contextLength: 512 });
    const stale = client.request('llm.generate', { prompt: 'Once', maxTokens: 400 });
    let seen = 0;
    const first = new Promise<void>((resolve) => {
      void client
        .request(
          'llm.generate',
          { prompt: 'Once', maxTokens: 400 },
          {
            onProgress: () => (++seen === 2 ? resolve() : undefined),
          },
        )
        .catch(() => {});
    });
    await expect(stale).rejects.toThrow(CancelledError);
    await first; // the second request is streaming, so the stale one has ended
    const fresh = await client.request('llm.generate', { prompt: 'Once', maxTokens: 3 });
    expect(fresh.tokenIds).toHaveLength(3);
    expect(generated[0].stopReason).toBe('aborted');
    expect(generated[0].tokenIds.length).toBeLessThan(400);
    expect(generated[1].stopReason).toBe('aborted');
  });

  it('llm.unload disposes the loaded model: requests need a new llm.load afterwards', async () => {
    const { client } = connect();
    await client.request('llm.load', { modelUrl: MODEL, backend: 'cpu' });
    expect(await client.request('llm.unload', {})).toEqual({ unloaded: 'GGUF v3 (llama, F32)' });
    await expect(client.request('llm.generate', { prompt: '', maxTokens: 1 })).rejects.toThrow(
      ModelNotLoadedError,
    );
    expect(await client.request('llm.unload', {})).toEqual({ unloaded: null });
    await client.request('llm.load', { modelUrl: MODEL, backend: 'cpu' });
    const again = await client.request('llm.generate', { prompt: '', maxTokens: 60 });
    expect(again.text).toBe(REFERENCE_GREEDY_TEXT);
  });

  it('scores continuations: a likely one beats a garbled one', async () => {
    const { client } = connect();
    await client.request('llm.load', { modelUrl: MODEL, backend: 'cpu' });
    const { scores, backend } = await client.request('llm.score', {
      prompt: 'Once upon a time, there was a little girl named',
      continuations: [' Lily. She', ' qz xkv jjj'],
    });
    expect(backend).toBe('cpu');
    expect(scores).toHaveLength(2);
    expect(scores[0].meanLogProb).toBeGreaterThan(scores[1].meanLogProb);
    expect(scores[0].tokenCount).toBeGreaterThan(0);
  });

  it("'auto' with a GPU measures both backends and keeps one that agrees with the CPU", async () => {
    const { client } = connect({ gpu: {} as GPU, createGpuOps: () => Promise.resolve(new CpuOps()) });
    const loaded = await client.request('llm.load', { modelUrl: MODEL });
    expect(loaded.calibration).toMatch(/^cpu \d+ tok\/s, webgpu \d+ tok\/s → (cpu|webgpu) \(fastest\)$/);
    const result = await client.request('llm.generate', { prompt: '', maxTokens: 60 });
    expect(result.text).toBe(REFERENCE_GREEDY_TEXT);
  });

  it("'auto' rejects a GPU backend that computes something else", async () => {
    /** A backend whose RMSNorm is off by a factor of 2: decodes fine, scores wrong. */
    class SkewedOps extends CpuOps {
      override rmsNorm(...args: Parameters<CpuOps['rmsNorm']>): ReturnType<CpuOps['rmsNorm']> {
        const y = super.rmsNorm(...args);
        y.data.forEach((v, i) => (y.data[i] = 2 * v));
        return y;
      }
    }
    const { client } = connect({ gpu: {} as GPU, createGpuOps: () => Promise.resolve(new SkewedOps()) });
    const loaded = await client.request('llm.load', { modelUrl: MODEL });
    expect(loaded.backend).toBe('cpu');
    expect(loaded.fallbackReason).toMatch(/webgpu rejected \(log-likelihood .* differs from cpu/);
  });
});
