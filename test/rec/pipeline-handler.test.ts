/**
 * The LLM worker's rec handlers (src/rec/pipeline-handler.ts) in Node, over a real MessageChannel,
 * with the committed ml-latest-small-llama-rec served by a fake same-origin fetch: the re-rank
 * equals src/rec/pipeline.ts run directly on the same GGUF (as `npm run eval --pipeline sasrec+llm`
 * loads it), explanations pass the post-check, and bad requests get named errors.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { InvalidRequestError, ModelNotLoadedError } from '../../src/protocol/errors.ts';
import { registerKnownErrors } from '../../src/protocol/known-errors.ts';
import { RpcClient, serve } from '../../src/protocol/rpc.ts';
import { catalogVocabulary, checkExplanation } from '../../src/rec/explain-check.ts';
import type { ExplanationFacts } from '../../src/rec/explain-facts.ts';
import { ItemTokenError, RecManifestError } from '../../src/rec/item-tokens.ts';
import { createRecLlmHandlers } from '../../src/rec/pipeline-handler.ts';
import type { RecLlmRequestMap } from '../../src/rec/pipeline-protocol.ts';
import { topCandidates } from '../../src/rec/pipeline.ts';
import { ModelIntegrityError } from '../../src/sasrec/weights.ts';
import { loadRecLlm } from '../../models/tools/rec-pipeline-scorer.ts';
import type { ModelStore } from '../../src/store/model-store.ts';
import { FakeDisk } from '../store/fake-storage.ts';
import { BACKENDS } from '../store/store-fixtures.ts';
import { TINY_CATALOG } from './catalog-fixture.ts';
import { modelDirFetch, ORIGIN } from './model-dir-fetch.ts';
import { FastCpuOps } from '../../src/gpu/cpu-fast/fast-cpu-ops.ts';
import { loadOwnLanguageModel } from '../../src/llm/backends/own.ts';
import { pickCommand } from '../../src/rec/chat/llm-parse.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const REC_DIR = join(root, 'models/ml-latest-small-llama-rec');
const MANIFEST = 'models/ml-latest-small-llama-rec/manifest.json';
const SASREC = 'ml-latest-small-sasrec';
/** The committed Q8_0 GGUF's entry in the manifest: { file, bytes, sha256 } */
const Q8 = (
  JSON.parse(readFileSync(join(REC_DIR, 'manifest.json'), 'utf8')) as {
    files: { q8_0: { bytes: number; sha256: string } };
  }
).files.q8_0;

registerKnownErrors();

/** Serves models/ml-latest-small-llama-rec/* from disk (model-dir-fetch.ts). */
const diskFetch = (damage = false, requested: string[] = []): typeof fetch =>
  modelDirFetch(join(root, 'models'), 'ml-latest-small-llama-rec', damage, requested);

const channels: MessageChannel[] = [];
afterEach(() => {
  for (const c of channels.splice(0)) {
    c.port1.close();
    c.port2.close();
  }
});

function connect(damage = false, store?: ModelStore, requested: string[] = []): RpcClient<RecLlmRequestMap> {
  const channel = new MessageChannel();
  channels.push(channel);
  serve<RecLlmRequestMap>(
    channel.port2,
    createRecLlmHandlers({
      fetch: diskFetch(damage, requested),
      origin: ORIGIN,
      now: () => performance.now(),
      ...(store ? { openStore: async () => store } : {}),
    }),
  );
  return new RpcClient<RecLlmRequestMap>(channel.port1);
}

describe('rec handlers of the LLM worker', () => {
  it('loads the Q8_0 model and re-ranks exactly as src/rec/pipeline.ts does', async () => {
    const client = connect();
    const loaded = await client.request('rec.load', { manifestUrl: MANIFEST, sasrecId: SASREC });
    expect(loaded).toMatchObject({
      modelId: 'ml-latest-small-llama-rec',
      candidates: 50,
      file: 'model-q8_0.gguf',
    });
    expect(loaded.bytes).toBe(Q8.bytes);
    // seeded SASRec-like scores for 50 candidates after a 6-item history
    const history = [10, 200, 31, 4, 1500, 77]; // [6]
    const sasrec = new Float32Array(3651); // [N + 1]
    for (let i = 1; i < sasrec.length; i++) sasrec[i] = Math.sin(i * 12.9898) * 3;
    const candidates = topCandidates(sasrec, history, 50);
    const reference = await loadRecLlm(REC_DIR, 'q8_0').reranker.rerank(Int32Array.from(history), candidates);
    const answer = await client.request('rec.rerank', {
      history,
      candidates: Array.from(candidates.ids),
      scores: Array.from(candidates.scores),
    });
    expect(answer.ids).toEqual(Array.from(reference.ids));
    expect(answer.fused).toEqual(Array.from(reference.fused));
    expect(answer.ids).not.toEqual(Array.from(candidates.ids)); // the LLM changed the order
  });

  it('names what is wrong: unloaded, other SASRec model, damaged GGUF, mismatched scores, other origin', async () => {
    const client = connect();
    const rerank = { history: [1], candidates: [2, 3], scores: [1, 0] };
    await expect(client.request('rec.rerank', rerank)).rejects.toBeInstanceOf(ModelNotLoadedError);
    const otherModel = client.request('rec.load', { manifestUrl: MANIFEST, sasrecId: 'ml-1m-sasrec-ce' });
    await expect(otherModel).rejects.toBeInstanceOf(RecManifestError);
    await expect(otherModel).rejects.toThrow(
      /tuned on ml-latest-small-sasrec's candidates, but the page ranks with ml-1m-sasrec-ce/,
    );
    await expect(
      client.request('rec.load', { manifestUrl: 'https://example.com/m.json', sasrecId: SASREC }),
    ).rejects.toBeInstanceOf(InvalidRequestError);
    await expect(
      connect(true).request('rec.load', { manifestUrl: MANIFEST, sasrecId: SASREC }),
    ).rejects.toBeInstanceOf(ModelIntegrityError);
    await client.request('rec.load', { manifestUrl: MANIFEST, sasrecId: SASREC });
    await expect(client.request('rec.rerank', { ...rerank, scores: [1] })).rejects.toThrow(
      /2 candidates but 1 scores/,
    );
    const outside = client.request('rec.rerank', { ...rerank, candidates: [2, 9999] });
    await expect(outside).rejects.toBeInstanceOf(ItemTokenError);
    await expect(outside).rejects.toThrow(/outside 1\.\.3650/);
  });

  it('writes explanations that pass the post-check (LLM text or the template fallback, labelled)', async () => {
    const client = connect();
    await client.request('rec.load', { manifestUrl: MANIFEST, sasrecId: SASREC });
    const vocabulary = catalogVocabulary(TINY_CATALOG);
    await client.request('rec.vocabulary', {
      titles: [...vocabulary.titles],
      genres: [...vocabulary.genres],
    });
    const facts: ExplanationFacts = {
      itemId: 6,
      title: 'Galaxy Quest',
      drivers: [{ itemId: 7, title: 'Spaceballs', index: 2, drop: 0.5, attention: 1 }],
      attention: [{ itemId: 7, title: 'Spaceballs', weight: 1 }],
      occlusion: [{ itemId: 7, title: 'Spaceballs', drop: 0.5 }],
      shared: [{ concept: { kind: 'genre', label: 'Comedy' }, drivers: [7], inProfile: true }],
      profileLine: 'You watch Comedy.',
    };
    const sources = new Set<string>();
    for (const seed of [0, 1, 2, 3]) {
      const { explanation, ms } = await client.request('rec.explain', { facts, seed });
      expect(ms).toBeGreaterThanOrEqual(0);
      expect(checkExplanation(explanation.text, facts, vocabulary).ok).toBe(true);
      expect(explanation.text).not.toMatch(/<i\d+>/); // never the model's item tokens
      sources.add(explanation.source);
    }
    expect([...sources].every((s) => s === 'llm' || s === 'template')).toBe(true);
    await expect(
      client.request('rec.explain', { facts: { ...facts, drivers: 'Spaceballs' } as never, seed: 0 }),
    ).rejects.toBeInstanceOf(InvalidRequestError);
  });

  it('picks a chat command from the closed set, as pickCommand does with the same model in Node', async () => {
    const client = connect();
    await client.request('rec.load', { manifestUrl: MANIFEST, sasrecId: SASREC });
    const choices = ['nothing', 'more [Comedy]', 'no [Horror]', 'only [1990s]'];
    const answer = await client.request('rec.command', { request: 'I want to laugh', choices });
    const model = await loadOwnLanguageModel(
      { model: new Uint8Array(readFileSync(join(REC_DIR, 'model-q8_0.gguf'))) },
      { ops: new FastCpuOps(), capacity: 512 },
    );
    const reference = await pickCommand(model, 'I want to laugh', choices);
    expect(answer.index).not.toBeNull();
    expect(choices[answer.index ?? -1]).toBe(answer.raw);
    expect({ index: answer.index, raw: answer.raw }).toEqual(reference);
    await expect(client.request('rec.command', { request: 'x', choices: [] })).rejects.toBeInstanceOf(
      InvalidRequestError,
    );
  });

  it('keeps the GGUF in the model store and reads it there next time; a damaged copy is downloaded again', async () => {
    const disk = new FakeDisk();
    const store = await BACKENDS.cache(disk);
    const requested: string[] = [];
    const gguf = '/models/ml-latest-small-llama-rec/model-q8_0.gguf';
    const load = () =>
      connect(false, store, requested).request('rec.load', { manifestUrl: MANIFEST, sasrecId: SASREC });
    expect((await load()).from).toBe('network');
    // the store keys a GGUF by its sha256 prefix
    expect(new Set((await store.list()).map((k) => k.model))).toEqual(
      new Set([`gguf-${Q8.sha256.slice(0, 16)}`]),
    );
    const second = await load();
    expect(second).toMatchObject({ from: 'store', bytes: Q8.bytes });
    expect(requested.filter((p) => p === gguf)).toHaveLength(1);
    disk.damage('model.gguf', (b) => ((b[100] ^= 1), b));
    expect((await load()).from).toBe('network');
    expect(requested.filter((p) => p === gguf)).toHaveLength(2);
  });
});
