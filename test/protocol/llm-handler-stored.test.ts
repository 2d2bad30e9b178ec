/**
 * `llm.load` with `storedModel`: a GGUF the user picked, kept in the model store (fake disk), is
 * loaded from there — its record names it — and generates llama2.c's greedy text; a missing or
 * damaged copy, both or neither of modelUrl/storedModel, and a store-less worker are named errors;
 * a load cancelled midway leaves the model loaded before in place.
 */
import { describe, expect, it } from 'vitest';
import { CpuOps } from '../../src/gpu/cpu-ops.ts';
import { InvalidRequestError, ModelLoadError } from '../../src/protocol/errors.ts';
import { createLlmHandlers, LlmSlot, type LlmHandlerEnv } from '../../src/protocol/llm-handler.ts';
import type { HandlerContext } from '../../src/protocol/rpc.ts';
import { ModelIntegrityError } from '../../src/sasrec/weights.ts';
import { inspectGguf } from '../../src/store/gguf-check.ts';
import type { ModelStore } from '../../src/store/model-store.ts';
import { keepGguf } from '../../src/store/stored-gguf.ts';
import { FakeDisk } from '../store/fake-storage.ts';
import { BACKENDS } from '../store/store-fixtures.ts';
import { REFERENCE_GREEDY_TEXT, noStories, storiesFile } from '../llm/stories-files.ts';

const ORIGIN = 'http://127.0.0.1:4173';

/** A handler context; `signal` may be aborted by the test. */
function context(signal = new AbortController().signal, stages: string[] = []): HandlerContext {
  return {
    signal,
    progress: (p) => stages.push(p.stage),
    throwIfCancelled: () => signal.throwIfAborted(),
  };
}

function handlers(store: ModelStore | undefined, slot = new LlmSlot()) {
  const env: LlmHandlerEnv = {
    fetch: (() => Promise.resolve(new Response('no', { status: 404 }))) as unknown as typeof fetch,
    gpu: undefined,
    createGpuOps: () => Promise.resolve(new CpuOps()),
    origin: ORIGIN,
    inWorker: false,
    now: () => 0,
    ...(store ? { openStore: () => Promise.resolve(store) } : {}),
  };
  return createLlmHandlers(env, slot);
}

/** A store on a fake disk holding stories260K.gguf as the Models panel keeps a picked file. */
async function storeWithStories(disk = new FakeDisk()): Promise<{ store: ModelStore; model: string }> {
  const store = await BACKENDS.cache(disk);
  const bytes = storiesFile('stories260K.gguf'); // [bytes]
  const summary = await inspectGguf(async (n) => bytes.subarray(0, n), bytes.byteLength);
  const model = await keepGguf(store, bytes.slice().buffer, 'stories260K.gguf', summary);
  return { store, model };
}

describe.skipIf(noStories)('llm.load from the model store', () => {
  it('loads a kept GGUF by its store id, names it, and generates the reference greedy text', async () => {
    const { store, model } = await storeWithStories();
    const slot = new LlmSlot();
    const h = handlers(store, slot);
    const stages: string[] = [];
    const loaded = await h['llm.load']({ storedModel: model, backend: 'cpu' }, context(undefined, stages));
    expect(loaded.kept).toEqual({
      name: 'stories260K.gguf',
      arch: 'llama',
      params: expect.any(Number),
      quant: 'F32',
      layers: 5,
    });
    expect(loaded.kept?.params).toBeGreaterThan(250_000);
    expect(loaded.kept?.params).toBeLessThan(300_000);
    expect(loaded).toMatchObject({ backend: 'cpu', vocabSize: 512, contextLength: 2048 });
    expect(stages[0]).toBe('store');
    expect(slot.chatTemplate).toBeNull(); // stories260K is not a chat model: no template
    const sample = await h['llm.generate']({ prompt: '', maxTokens: 20 }, context());
    expect(REFERENCE_GREEDY_TEXT.startsWith(sample.text)).toBe(true);
    expect(sample.text.length).toBeGreaterThan(40);
  });

  it('names a missing or damaged copy, a bad request and a worker without a store', async () => {
    const disk = new FakeDisk();
    const { store, model } = await storeWithStories(disk);
    const h = handlers(store);
    await expect(h['llm.load']({ storedModel: 'gguf-0123456789abcdef' }, context())).rejects.toThrow(
      /gguf-0123456789abcdef is not in this browser's model store.*pick or drop the GGUF file again/,
    );
    await expect(
      h['llm.load']({ storedModel: model, modelUrl: './m.gguf' }, context()),
    ).rejects.toBeInstanceOf(InvalidRequestError);
    await expect(h['llm.load']({}, context())).rejects.toThrow(/either modelUrl or storedModel/);
    await expect(h['llm.load']({ storedModel: 'stories260K.gguf' }, context())).rejects.toBeInstanceOf(
      InvalidRequestError,
    );
    await expect(handlers(undefined)['llm.load']({ storedModel: model }, context())).rejects.toBeInstanceOf(
      ModelLoadError,
    );
    disk.damage('model.gguf', (b) => ((b[5000] ^= 1), b));
    await expect(h['llm.load']({ storedModel: model }, context())).rejects.toBeInstanceOf(
      ModelIntegrityError,
    );
  });

  it('a cancelled load leaves the model loaded before in place', async () => {
    const { store, model } = await storeWithStories();
    const slot = new LlmSlot();
    const h = handlers(store, slot);
    await h['llm.load']({ storedModel: model, backend: 'cpu' }, context());
    const before = slot.loaded?.model;
    const controller = new AbortController();
    const second = h['llm.load']({ storedModel: model, backend: 'cpu' }, context(controller.signal));
    controller.abort(new Error('cancelled by the test'));
    await expect(second).rejects.toThrow(/cancelled by the test/);
    expect(slot.loaded?.model).toBe(before);
    const sample = await h['llm.generate']({ prompt: 'Once upon', maxTokens: 5 }, context());
    expect(sample.text.length).toBeGreaterThan(0);
  });
});
