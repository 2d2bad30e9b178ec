/**
 * The LLM worker's interest handlers (src/rec/interest-handler.ts) in Node over a MessageChannel, with
 * the committed ml-latest-small-llama-interest served by a fake same-origin fetch: P(yes) equals
 * src/rec/interest.ts run directly on the same GGUF with every history item liked, only the last
 * `historyItems` items count, and bad requests get named errors.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { FastCpuOps } from '../../src/gpu/cpu-fast/fast-cpu-ops.ts';
import { LlamaForward } from '../../src/llm/forward.ts';
import { loadLlamaFile } from '../../src/llm/load/model-file.ts';
import { ModelNotLoadedError } from '../../src/protocol/errors.ts';
import { registerKnownErrors } from '../../src/protocol/known-errors.ts';
import { RpcClient, serve } from '../../src/protocol/rpc.ts';
import { interest, InterestManifestError } from '../../src/rec/interest.ts';
import { createInterestHandlers } from '../../src/rec/interest-handler.ts';
import { parseInterestPageManifest, type InterestRequestMap } from '../../src/rec/interest-protocol.ts';
import { ItemTokenError } from '../../src/rec/item-tokens.ts';
import { ModelIntegrityError } from '../../src/sasrec/weights.ts';
import { modelDirFetch, ORIGIN } from './model-dir-fetch.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const ID = 'ml-latest-small-llama-interest';
const DIR = join(root, 'models', ID);
const MANIFEST_URL = `models/${ID}/manifest.json`;
const SASREC = 'ml-latest-small-sasrec';
const manifest = parseInterestPageManifest(JSON.parse(readFileSync(join(DIR, 'manifest.json'), 'utf8')));

registerKnownErrors();

const channels: MessageChannel[] = [];
afterEach(() => {
  for (const c of channels.splice(0)) {
    c.port1.close();
    c.port2.close();
  }
});

function connect(damage = false): RpcClient<InterestRequestMap> {
  const channel = new MessageChannel();
  channels.push(channel);
  const env = {
    fetch: modelDirFetch(join(root, 'models'), ID, damage),
    origin: ORIGIN,
    now: () => performance.now(),
  };
  serve<InterestRequestMap>(channel.port2, createInterestHandlers(env));
  return new RpcClient<InterestRequestMap>(channel.port1);
}

/** interest.ts on the committed Q8_0 GGUF, every history item liked (rating 5). */
async function direct(history: number[], items: number[]): Promise<number[]> {
  const gguf = new Uint8Array(readFileSync(join(DIR, manifest.files.q8_0.file)));
  const forward = new LlamaForward(new FastCpuOps(), loadLlamaFile(gguf, { keepQuantized: true }).weights, {
    capacity: 128,
  });
  const rated = history.map((item) => ({ item, rating: 5 }));
  const out: number[] = [];
  for (const item of items) out.push(await interest(forward, manifest, rated, item));
  return out;
}

describe('interest handlers of the LLM worker', () => {
  it('loads the Q8_0 model and answers P(yes) as src/rec/interest.ts does, on the last history items', async () => {
    const client = connect();
    const loaded = await client.request('interest.load', { manifestUrl: MANIFEST_URL, sasrecId: SASREC });
    expect(loaded).toMatchObject({ modelId: ID, file: 'model-q8_0.gguf', from: 'network' });
    expect(loaded.bytes).toBe(manifest.files.q8_0.bytes);
    expect(loaded.testAucAllLiked).toBe(manifest.testAucAllLiked);
    const history = [10, 200, 31, 4, 1500, 77, 8, 9, 300, 12, 640, 2]; // [12]: only the last 10 count
    const items = [5, 6, 7, 1000, 3650];
    const answer = await client.request('interest.score', { history, items });
    const want = await direct(history.slice(-manifest.historyItems), items);
    expect(answer.pYes).toEqual(want);
    for (const p of answer.pYes) expect(p).toBeGreaterThan(0);
    expect(new Set(answer.pYes).size).toBe(items.length); // the item changes the answer
    // another history, another answer for the same item
    const other = await client.request('interest.score', { history: [3000, 3100, 3200], items: [5] });
    expect(other.pYes[0]).not.toBe(answer.pYes[0]);
  });

  it('names what is wrong: unloaded, other SASRec model, unknown item, damaged GGUF', async () => {
    const client = connect();
    const score = { history: [1, 2], items: [3] };
    await expect(client.request('interest.score', score)).rejects.toBeInstanceOf(ModelNotLoadedError);
    const other = client.request('interest.load', { manifestUrl: MANIFEST_URL, sasrecId: 'ml-1m-sasrec-ce' });
    await expect(other).rejects.toBeInstanceOf(InterestManifestError);
    await expect(other).rejects.toThrow(
      /item tokens are ml-latest-small-sasrec's items, but the page ranks with ml-1m/,
    );
    await client.request('interest.load', { manifestUrl: MANIFEST_URL, sasrecId: SASREC });
    await expect(client.request('interest.score', { history: [1], items: [3651] })).rejects.toBeInstanceOf(
      ItemTokenError,
    );
    await expect(
      connect(true).request('interest.load', { manifestUrl: MANIFEST_URL, sasrecId: SASREC }),
    ).rejects.toBeInstanceOf(ModelIntegrityError);
  });
});
