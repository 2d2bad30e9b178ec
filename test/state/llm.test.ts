/**
 * LlmState (the page's language-model switch) with a fake registry and LLM worker: it finds the
 * page's llama-rec model in the registry, loads it only when turned on, offers the re-ranker only
 * for the SASRec model the LLM was tuned on, and names a registry without one.
 */
import { describe, expect, it } from 'vitest';
import type { RecLoadResult } from '../../src/rec/pipeline-protocol.ts';
import { LlmState } from '../../src/state/llm.svelte.ts';
import type { PageLlmClient } from '../../src/state/llm-worker.ts';

const BASE = 'http://127.0.0.1:4173/app/';
const LOADED: RecLoadResult = {
  modelId: 'rec',
  sasrec: 'sas',
  candidates: 50,
  file: 'model-q8_0.gguf',
  bytes: 10,
  from: 'network',
  backend: 'cpu',
  ms: 1,
};

function registryFetch(models: object[]): typeof fetch {
  return (async () => new Response(JSON.stringify({ models }))) as unknown as typeof fetch;
}

/** A worker client recording its requests; rec.rerank reverses the candidates. */
function fakeClient(sent: [string, unknown][]): PageLlmClient {
  const request = async (kind: string, params: unknown): Promise<unknown> => {
    sent.push([kind, params]);
    if (kind === 'rec.load') return LOADED;
    if (kind === 'rec.rerank')
      return { ids: [...(params as { candidates: number[] }).candidates].reverse(), fused: [], ms: 2 };
    throw new Error(`unexpected ${kind}`);
  };
  return { request } as unknown as PageLlmClient;
}

describe('LlmState', () => {
  it('loads the registry’s llama-rec model on enable and re-ranks only for its SASRec model', async () => {
    const sent: [string, unknown][] = [];
    let started = 0;
    const llm = new LlmState({
      baseUrl: BASE,
      fetch: registryFetch([
        { id: 'sas', arch: 'sasrec', page: true },
        { id: 'rec', arch: 'llama-rec', page: true },
      ]),
      startClient: () => (started++, fakeClient(sent)),
    });
    expect(llm.rerankerFor('sas')).toBeNull();
    expect(started).toBe(0); // no worker while off
    await llm.enable('sas');
    expect(sent[0]).toEqual([
      'rec.load',
      { manifestUrl: `${BASE}models/rec/manifest.json`, sasrecId: 'sas' },
    ]);
    expect(llm.status).toBe('ready');
    expect(llm.rerankerFor('other')).toBeNull();
    const reranker = llm.rerankerFor('sas');
    expect(await reranker?.rerank([1], [5, 6, 7], [3, 2, 1])).toMatchObject({ ids: [7, 6, 5] });
    llm.disable();
    expect(llm.rerankerFor('sas')).toBeNull();
    expect(llm.verbaliser).toBeNull();
    await llm.enable('sas'); // already loaded: no second download
    expect(sent.filter(([kind]) => kind === 'rec.load')).toHaveLength(1);
    expect(started).toBe(1);
  });

  it('says when the registry has no page model with arch llama-rec', async () => {
    const llm = new LlmState({
      baseUrl: BASE,
      fetch: registryFetch([
        { id: 'sas', arch: 'sasrec', page: true },
        { id: 'rec', arch: 'llama-rec' },
      ]),
      startClient: () => fakeClient([]),
    });
    await llm.enable('sas');
    expect(llm.status).toBe('error');
    expect(llm.on).toBe(false);
    expect(llm.error).toMatch(
      /^NoRecModelError: models\/registry.json names no page model with arch "llama-rec"/,
    );
  });
});
