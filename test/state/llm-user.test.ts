/**
 * LlmState with a GGUF the user loaded (fake LLM worker): `useUserModel` loads the kept file from the
 * store by its id, writes the greedy sample, switches the language model on with it and names it;
 * the re-ranker then asks `llm.rerank` by title (for any SASRec model) and maps the order back to
 * ids; explanations and chat picks go to the prompted `llm.*` requests; a cancelled load keeps the
 * model loaded before; a failed load is shown and nothing is switched on; "Delete everything" takes
 * the model out of the worker (`llm.unload`).
 */
import { describe, expect, it } from 'vitest';
import { CancelledError, ModelLoadError } from '../../src/protocol/errors.ts';
import type { LlmLoadResult } from '../../src/protocol/messages-llm.ts';
import type { ExplanationFacts } from '../../src/rec/explain-facts.ts';
import { PROMPTED_HISTORY_TITLES } from '../../src/rec/prompted-protocol.ts';
import { LlmState } from '../../src/state/llm.svelte.ts';
import { loadedLine, SAMPLE_PROMPT } from '../../src/state/llm-user.svelte.ts';
import type { PageLlmClient } from '../../src/state/llm-worker.ts';

const LOADED: LlmLoadResult = {
  modelId: 'GGUF v3 (llama, F32)',
  backend: 'cpu',
  vocabSize: 512,
  contextLength: 2048,
  inWorker: true,
  kept: { name: 'stories260K.gguf', arch: 'llama', params: 260_160, quant: 'F32', layers: 5 },
  ms: 3,
};

/** A fake worker: records requests; llm.rerank reverses; `gate` holds llm.load until released. */
function fakeWorker(options: { failLoad?: boolean; gate?: Promise<void> } = {}) {
  const sent: [string, unknown][] = [];
  const request = async (
    kind: string,
    params: unknown,
    opts?: { signal?: AbortSignal },
  ): Promise<unknown> => {
    sent.push([kind, params]);
    if (kind === 'llm.load') {
      if (options.failLoad)
        throw new ModelLoadError('gguf-0123456789abcdef is not in this browser’s model store');
      if (options.gate) {
        await Promise.race([
          options.gate,
          new Promise((_, reject) =>
            opts?.signal?.addEventListener('abort', () => reject(new CancelledError('cancelled'))),
          ),
        ]);
      }
      return LOADED;
    }
    if (kind === 'llm.generate') return { text: ', there was a little girl' };
    if (kind === 'llm.rerank') {
      const n = (params as { candidates: string[] }).candidates.length;
      return {
        order: Array.from({ length: n }, (_, i) => n - 1 - i),
        llm: [],
        historyUsed: 1,
        listed: true,
        ms: 4,
      };
    }
    if (kind === 'llm.vocabulary') return { titles: 1 };
    if (kind === 'llm.explain') return { explanation: { text: 't', source: 'llm' }, ms: 5 };
    if (kind === 'llm.command') return { index: 1, raw: 'no [Horror]', ms: 1 };
    if (kind === 'llm.unload') return { unloaded: LOADED.modelId };
    throw new Error(`unexpected ${kind}`);
  };
  return { sent, client: { request } as unknown as PageLlmClient };
}

function state(worker: ReturnType<typeof fakeWorker>): LlmState {
  return new LlmState({
    baseUrl: 'http://127.0.0.1:4173/',
    fetch: (() => Promise.reject(new Error('no registry needed'))) as unknown as typeof fetch,
    startClient: () => worker.client,
  });
}

describe('LlmState with a user-loaded GGUF', () => {
  it('loads it from the store, writes the sample and prompts it for every step', async () => {
    const worker = fakeWorker();
    const llm = state(worker);
    expect(llm.inUse).toBeNull();
    await llm.useUserModel('gguf-0123456789abcdef');
    expect(worker.sent.slice(0, 2)).toEqual([
      ['llm.load', { storedModel: 'gguf-0123456789abcdef' }],
      ['llm.generate', { prompt: SAMPLE_PROMPT, maxTokens: 24, temperature: 0 }],
    ]);
    expect(llm.inUse).toBe('user');
    expect(llm.user.model?.sample).toBe(', there was a little girl');
    expect(loadedLine(llm.user.model!)).toBe(
      'loaded: stories260K.gguf, llama, 260.2K params, F32, 5 layers, CPU in the LLM worker',
    );
    // re-rank by title, for whichever SASRec model the page uses
    const titles: Record<number, string> = { 1: 'Alien', 5: 'Heat', 6: 'Scream', 7: 'Spaceballs' };
    const reranker = llm.rerankerFor('any-sasrec', (id) => titles[id]);
    expect(reranker?.candidates).toBe(20);
    expect(await reranker?.rerank([1, 9], [5, 6, 7], [3, 2, 1])).toEqual({ ids: [7, 6, 5], ms: 4 });
    expect(worker.sent.at(-1)).toEqual([
      'llm.rerank',
      { history: ['Alien', 'item 9'], candidates: ['Heat', 'Scream', 'Spaceballs'], scores: [3, 2, 1] },
    ]);
    // a history longer than llm.rerank takes: its most recent PROMPTED_HISTORY_TITLES titles
    const long = Array.from({ length: PROMPTED_HISTORY_TITLES + 5 }, (_, i) => (i % 2 === 0 ? 1 : 9));
    await reranker?.rerank(long, [5, 6, 7], [3, 2, 1]);
    const sentHistory = (worker.sent.at(-1)?.[1] as { history: string[] }).history;
    expect(sentHistory).toHaveLength(PROMPTED_HISTORY_TITLES);
    expect(sentHistory.at(-1)).toBe('Alien'); // the last of the long history (an even index)
    const vocabulary = { titles: new Set(['Alien']), genres: new Set(['Horror']) };
    const facts = { itemId: 5 } as unknown as ExplanationFacts;
    const signal = new AbortController().signal;
    await llm.verbaliser?.(facts, 1, vocabulary, signal);
    await llm.verbaliser?.(facts, 2, vocabulary, signal); // the vocabulary is sent once
    expect(worker.sent.slice(-3).map(([kind]) => kind)).toEqual([
      'llm.vocabulary',
      'llm.explain',
      'llm.explain',
    ]);
    expect(await llm.commandPicker?.('too scary', ['nothing', 'no [Horror]'])).toEqual({
      index: 1,
      raw: 'no [Horror]',
    });
    expect(worker.sent.at(-1)?.[0]).toBe('llm.command');
    // the switch: off → nothing; on again → the user's model, no registry download
    llm.disable();
    expect(llm.rerankerFor('any-sasrec', (id) => titles[id])).toBeNull();
    await llm.enable('any-sasrec');
    expect(llm.inUse).toBe('user');
    expect(worker.sent.some(([kind]) => kind === 'rec.load')).toBe(false);
  });

  it('a cancelled load keeps the model before; a failed one is shown and switches nothing on', async () => {
    let release = () => undefined as void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const worker = fakeWorker({ gate });
    const llm = state(worker);
    const loading = llm.useUserModel('gguf-0123456789abcdef');
    expect(llm.user.status).toBe('loading');
    llm.user.cancel();
    await loading;
    release();
    expect(llm.user.status).toBe('idle');
    expect(llm.user.error).toMatch(/^Cancelled; the language model loaded before stays in use/);
    expect(llm.inUse).toBeNull();

    const failing = state(fakeWorker({ failLoad: true }));
    await failing.useUserModel('gguf-0123456789abcdef');
    expect(failing.user.status).toBe('error');
    expect(failing.user.error).toMatch(/^ModelLoadError: gguf-0123456789abcdef is not in this browser/);
    expect(failing.on).toBe(false);
  });

  it('unloadUserModel takes the model out of the worker and switches off (Delete everything)', async () => {
    const worker = fakeWorker();
    const llm = state(worker);
    await llm.useUserModel('gguf-0123456789abcdef');
    expect(llm.inUse).toBe('user');
    expect(await llm.unloadUserModel()).toBe('stories260K.gguf, no longer in use');
    expect(worker.sent.at(-1)).toEqual(['llm.unload', {}]);
    expect(llm.user).toMatchObject({ status: 'idle', model: undefined });
    expect(llm.inUse).toBeNull();
    expect(llm.on).toBe(false);
    expect(llm.verbaliser).toBeNull();
    // nothing loaded: nothing to say, and no worker request
    const sent = worker.sent.length;
    expect(await llm.unloadUserModel()).toBe('');
    expect(worker.sent.length).toBe(sent);
    let started = false;
    const idle = new LlmState({
      baseUrl: 'http://127.0.0.1:4173/',
      fetch: (() => Promise.reject(new Error('no registry needed'))) as unknown as typeof fetch,
      startClient: () => ((started = true), fakeWorker().client),
    });
    expect(await idle.unloadUserModel()).toBe('');
    expect(started).toBe(false); // the worker is not started just to unload nothing
  });

  it('unloading during a load cancels it and unloads in the worker; the page is left with no model', async () => {
    const gate = new Promise<void>(() => {}); // the load never finishes by itself
    const worker = fakeWorker({ gate });
    const llm = state(worker);
    const loading = llm.useUserModel('gguf-0123456789abcdef');
    expect(await llm.unloadUserModel()).toBe('');
    await loading;
    expect(worker.sent.map(([kind]) => kind)).toEqual(['llm.load', 'llm.unload']);
    expect(llm.user).toMatchObject({ status: 'idle', model: undefined, error: undefined });
    expect(llm.on).toBe(false);
  });
});
