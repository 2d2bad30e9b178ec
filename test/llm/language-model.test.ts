/**
 * Contract tests: the same suite runs against every LanguageModel implementation — ours
 * (stories260K.gguf on CpuOps) and the web-llm adapter over a fake engine (no network) — then
 * implementation-specific checks.
 */
import { describe, expect, it } from 'vitest';
import { CpuOps } from '../../src/gpu/cpu-ops.ts';
import { loadOwnLanguageModel } from '../../src/llm/backends/own.ts';
import {
  loadWebLlmLanguageModel,
  webLlmAppConfig,
  WebLlmSourceError,
  type WebLlmEngineFactory,
} from '../../src/llm/backends/web-llm.ts';
import {
  generateAll,
  LanguageModelDisposedError,
  UnsupportedOperationError,
  type LanguageModel,
  type LanguageModelToken,
} from '../../src/llm/language-model.ts';
import { FAKE_SCRIPT, FakeWebLlmEngine } from './language-model-fake-web-llm.ts';
import { noStories, REFERENCE_GREEDY_TEXT, storiesFile } from './stories-files.ts';

const PROMPT = 'Once upon a time, there was a little girl named';

/** Drains a stream, keeping the streamed tokens. */
async function collect(
  model: LanguageModel,
  prompt: string,
  options: Parameters<LanguageModel['generate']>[1],
) {
  const tokens: LanguageModelToken[] = [];
  const run = model.generate(prompt, options);
  for (;;) {
    const step = await run.next();
    if (step.done) return { tokens, result: step.value };
    tokens.push(step.value);
  }
}

function contractSuite(name: string, load: () => Promise<LanguageModel>, skip = false): void {
  describe.skipIf(skip)(`LanguageModel contract: ${name}`, () => {
    it('describes itself', async () => {
      const model = await load();
      expect(model.info.id.length).toBeGreaterThan(0);
      expect(model.info.backend.length).toBeGreaterThan(0);
      expect(typeof model.info.canScore).toBe('boolean');
      await model.dispose();
    });

    it('streams tokens that add up to the result, stops at maxTokens, and is deterministic when greedy', async () => {
      const model = await load();
      const { tokens, result } = await collect(model, PROMPT, { maxTokens: 5 });
      expect(tokens).toHaveLength(5);
      expect(result.tokenCount).toBe(5);
      expect(result.stopReason).toBe('max-tokens');
      expect(tokens.map((t) => t.text).join('')).toBe(result.text);
      expect(result.text.length).toBeGreaterThan(0);
      if (result.tokenIds) expect(result.tokenIds).toEqual(tokens.map((t) => t.id));
      expect((await generateAll(model, PROMPT, { maxTokens: 5 })).text).toBe(result.text);
      const none = await generateAll(model, PROMPT, { maxTokens: 0 });
      expect([none.text, none.tokenCount]).toEqual(['', 0]);
      await model.dispose();
    });

    it('cuts the text at a stop string', async () => {
      const model = await load();
      const free = await generateAll(model, PROMPT, { maxTokens: 12 });
      const words = free.text.split(' ').filter((w) => w.length > 0);
      const stop = ` ${words[2]}`;
      const stopped = await generateAll(model, PROMPT, { maxTokens: 12, stop: [stop] });
      expect(stopped.stopReason).toBe('stop');
      expect(stopped.text).toBe(free.text.slice(0, free.text.indexOf(stop)));
      await model.dispose();
    });

    it('is cancelled by its AbortSignal between tokens', async () => {
      const model = await load();
      const controller = new AbortController();
      const run = model.generate(PROMPT, { maxTokens: 20, signal: controller.signal });
      const first = await run.next();
      expect(first.done).toBe(false);
      controller.abort();
      const last = await run.next();
      expect(last.done).toBe(true);
      if (last.done) expect([last.value.stopReason, last.value.tokenCount]).toEqual(['aborted', 1]);
      await model.dispose();
    });

    it('runs overlapping requests one after the other with the same results', async () => {
      const model = await load();
      const [a, b] = await Promise.all([
        generateAll(model, PROMPT, { maxTokens: 6 }),
        generateAll(model, PROMPT, { maxTokens: 6 }),
      ]);
      expect(b.text).toBe(a.text);
      await model.dispose();
    });

    it('scores continuations, or says by name that it cannot', async () => {
      const model = await load();
      const continuations = [' Lily. She', ' qz xkv jjj'];
      if (!model.info.canScore) {
        await expect(model.score(PROMPT, continuations)).rejects.toThrow(UnsupportedOperationError);
      } else {
        const [likely, garbled] = await model.score(PROMPT, continuations);
        expect(likely.logProb).toBeLessThan(0);
        expect(Number.isFinite(garbled.logProb)).toBe(true);
        expect(likely.meanLogProb).toBeGreaterThan(garbled.meanLogProb);
      }
      await model.dispose();
    });

    it('applies allowedTokens, or says by name that it cannot', async () => {
      const model = await load();
      const allowed = Int32Array.of(10, 20, 30);
      const options = { maxTokens: 4, allowedTokens: () => allowed };
      if (!model.info.canConstrain) {
        await expect(generateAll(model, PROMPT, options)).rejects.toThrow(UnsupportedOperationError);
      } else {
        const result = await generateAll(model, PROMPT, options);
        expect(result.tokenIds).toHaveLength(4);
        for (const id of result.tokenIds ?? []) expect([10, 20, 30]).toContain(id);
      }
      await model.dispose();
    });

    it('refuses to work after dispose', async () => {
      const model = await load();
      await model.dispose();
      await expect(generateAll(model, PROMPT, { maxTokens: 2 })).rejects.toThrow(LanguageModelDisposedError);
    });
  });
}

const loadOurs = () =>
  loadOwnLanguageModel({ model: storiesFile('stories260K.gguf') }, { ops: new CpuOps() });
const fakeFactory = (engines: FakeWebLlmEngine[] = []): WebLlmEngineFactory => {
  return (modelId, config) => {
    config.initProgressCallback({ progress: 1, timeElapsed: 0, text: `fake ${modelId} loaded` });
    const engine = new FakeWebLlmEngine();
    engines.push(engine);
    return Promise.resolve(engine);
  };
};
const loadFakeWebLlm = () =>
  loadWebLlmLanguageModel({ modelId: 'fake-model-MLC' }, { createEngine: fakeFactory() });

contractSuite('ours (stories260K.gguf on CpuOps)', loadOurs, noStories);
contractSuite('web-llm adapter (fake engine)', loadFakeWebLlm);

describe.skipIf(noStories)('our LanguageModel', () => {
  it('reproduces llama2.c greedy output and reports its tokenizer', async () => {
    const model = await loadOurs();
    expect(model.info).toMatchObject({ backend: 'cpu', vocabSize: 512, bos: 1, eos: 2 });
    expect(model.info.contextLength).toBeGreaterThanOrEqual(512); // KV cache: GGUF context, at most 2048
    expect(model.encode('')).toEqual(Int32Array.of(1));
    const result = await generateAll(model, '', { maxTokens: 60 });
    expect(result.text).toBe(REFERENCE_GREEDY_TEXT);
    expect(result.promptTokens).toBe(1);
    await model.dispose();
  });
});

describe('web-llm adapter', () => {
  it('sends the generation options to web-llm and reports its progress', async () => {
    const engines: FakeWebLlmEngine[] = [];
    const progress: string[] = [];
    const model = await loadWebLlmLanguageModel(
      { modelId: 'fake-model-MLC' },
      { createEngine: fakeFactory(engines), onProgress: (p) => progress.push(p.message) },
    );
    expect(progress).toContain('fake fake-model-MLC loaded');
    const result = await generateAll(model, 'Hi', {
      maxTokens: 3,
      temperature: 0.7,
      topP: 0.9,
      seed: 5,
      stop: ['x'],
    });
    expect(engines[0].requests[0]).toMatchObject({
      prompt: 'Hi',
      stream: true,
      max_tokens: 3,
      temperature: 0.7,
      top_p: 0.9,
      seed: 5,
      stop: ['x'],
    });
    expect(result).toMatchObject({ text: FAKE_SCRIPT.split(/(?= )/).slice(0, 3).join(''), promptTokens: 7 });
    expect(() => model.encode('Hi')).toThrow(UnsupportedOperationError);
    await model.dispose();
    expect(engines[0].unloaded).toBe(true);
  });

  it('builds an appConfig only for a model given by both URLs', () => {
    expect(webLlmAppConfig({ modelId: 'm' })).toBeUndefined();
    expect(webLlmAppConfig({ modelId: 'm', modelUrl: '/w/', modelLibUrl: '/m.wasm' })).toEqual({
      model_list: [{ model: '/w/', model_id: 'm', model_lib: '/m.wasm' }],
    });
    expect(() => webLlmAppConfig({ modelId: 'm', modelUrl: '/w/' })).toThrow(WebLlmSourceError);
    expect(() => webLlmAppConfig({ modelId: '' })).toThrow(WebLlmSourceError);
  });
});
