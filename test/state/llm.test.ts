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
  historyTokens: 3,
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
    // a history longer than the prompt holds: only its historyTokens (3) most recent items are sent
    await reranker?.rerank([1, 2, 3, 4, 5], [5, 6, 7], [3, 2, 1]);
    expect(sent.at(-1)).toEqual([
      'rec.rerank',
      { history: [3, 4, 5], candidates: [5, 6, 7], scores: [3, 2, 1] },
    ]);
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

describe('LlmState interest model', () => {
  const INTEREST = {
    modelId: 'int',
    file: 'model-q8_0.gguf',
    bytes: 10,
    from: 'network',
    historyItems: 2,
    testAuc: 0.77,
    testAucAllLiked: 0.69,
    ms: 1,
  };
  /** rec.load as above; interest.load answers INTEREST or throws; interest.score answers item / 10. */
  function clientWith(sent: [string, unknown][], interestFails: boolean): PageLlmClient {
    const base = fakeClient(sent);
    const request = async (kind: string, params: unknown): Promise<unknown> => {
      if (kind === 'interest.load') {
        sent.push([kind, params]);
        if (interestFails) throw new Error('InterestManifestError: other SASRec model');
        return INTEREST;
      }
      if (kind === 'interest.score') {
        sent.push([kind, params]);
        return { pYes: (params as { items: number[] }).items.map((i) => i / 10), ms: 1 };
      }
      return base.request(kind as never, params as never);
    };
    return { request } as unknown as PageLlmClient;
  }
  const models = [
    { id: 'sas', arch: 'sasrec', page: true },
    { id: 'rec', arch: 'llama-rec', page: true },
    { id: 'int', arch: 'llama-interest', page: true },
  ];

  it('loads the registry’s llama-interest model after the rec-tuned one and scores for its SASRec model', async () => {
    const sent: [string, unknown][] = [];
    const llm = new LlmState({
      baseUrl: BASE,
      fetch: registryFetch(models),
      startClient: () => clientWith(sent, false),
    });
    expect(llm.interestFor('sas')).toBeNull(); // off
    await llm.enable('sas');
    expect(sent.map(([kind]) => kind)).toEqual(['rec.load', 'interest.load']); // nothing scored yet
    expect(sent[1][1]).toEqual({ manifestUrl: `${BASE}models/int/manifest.json`, sasrecId: 'sas' });
    expect(llm.interest).toEqual(INTEREST);
    expect(llm.interestFor('other')).toBeNull();
    expect(await llm.interestFor('sas')?.([1, 2, 3], [5, 7])).toEqual([0.5, 0.7]);
    // only the model's historyItems (2) most recent history items are sent
    expect(sent.at(-1)).toEqual(['interest.score', { history: [2, 3], items: [5, 7] }]);
    llm.disable();
    expect(llm.interestFor('sas')).toBeNull();
  });

  it('keeps the rec-tuned model on when the interest model fails, and says why; none in the registry: none asked', async () => {
    const sent: [string, unknown][] = [];
    const llm = new LlmState({
      baseUrl: BASE,
      fetch: registryFetch(models),
      startClient: () => clientWith(sent, true),
    });
    await llm.enable('sas');
    expect(llm.status).toBe('ready');
    expect(llm.rerankerFor('sas')).not.toBeNull();
    expect(llm.interestFor('sas')).toBeNull();
    expect(llm.interestError).toMatch(/other SASRec model/);
    const quiet: [string, unknown][] = [];
    const without = new LlmState({
      baseUrl: BASE,
      fetch: registryFetch(models.slice(0, 2)),
      startClient: () => clientWith(quiet, false),
    });
    await without.enable('sas');
    expect(quiet.map(([kind]) => kind)).toEqual(['rec.load']);
    expect(without.interestError).toBeUndefined();
  });
});
