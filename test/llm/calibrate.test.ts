/**
 * LLM backend calibration with fake models on a fake clock: the fastest candidate that agrees
 * with the reference's log-likelihood wins; wrong or failing candidates are rejected with a reason.
 */
import { describe, expect, it } from 'vitest';
import { LanguageModelCalibrationError, calibrateLanguageModels } from '../../src/llm/calibrate.ts';
import type { LanguageModel, LanguageModelGeneration } from '../../src/llm/language-model.ts';

/** A fake model: each generated token costs `msPerToken` on `clock`; score returns `logProb`. */
function fakeModel(clock: { t: number }, msPerToken: number, logProb: number, fails = false): LanguageModel {
  return {
    info: {
      id: 'fake',
      backend: 'cpu',
      contextLength: 64,
      vocabSize: 8,
      bos: 1,
      eos: 2,
      canScore: true,
      canConstrain: false,
    },
    encode: () => Int32Array.of(1),
    // eslint-disable-next-line require-yield
    async *generate(_prompt, options): AsyncGenerator<never, LanguageModelGeneration, void> {
      if (fails) throw new Error('device lost');
      clock.t += msPerToken * options.maxTokens;
      return {
        text: '',
        tokenIds: [],
        tokenCount: options.maxTokens,
        stopReason: 'max-tokens',
        promptTokens: 1,
      };
    },
    score: (_prompt, continuations) =>
      Promise.resolve(
        continuations.map(() => ({
          logProb,
          meanLogProb: logProb,
          tokenCount: 1,
          tokens: [3],
          tokenLogProbs: [logProb],
        })),
      ),
    dispose: () => Promise.resolve(),
  };
}

describe('calibrateLanguageModels', () => {
  it('picks the fastest candidate and reports every speed', async () => {
    const clock = { t: 0 };
    const cpu = fakeModel(clock, 2, -10); // 500 tok/s
    const gpu = fakeModel(clock, 0.5, -10.000001); // 2000 tok/s
    const result = await calibrateLanguageModels(
      [
        { name: 'cpu', model: cpu },
        { name: 'webgpu', model: gpu },
      ],
      { now: () => clock.t, tokens: 8 },
    );
    expect(result.chosen.model).toBe(gpu);
    expect(result.timings.map((t) => Math.round(t.tokensPerSecond))).toEqual([500, 2000]);
    expect(result.summary).toBe('cpu 500 tok/s, webgpu 2000 tok/s → webgpu (fastest)');
  });

  it('rejects a faster backend whose log-likelihood differs from the reference', async () => {
    const clock = { t: 0 };
    const cpu = fakeModel(clock, 2, -10);
    const wrong = fakeModel(clock, 0.1, -10.5);
    const result = await calibrateLanguageModels(
      [
        { name: 'cpu', model: cpu },
        { name: 'webgpu', model: wrong },
      ],
      { now: () => clock.t },
    );
    expect(result.chosen.model).toBe(cpu);
    expect(result.timings[1].rejected).toMatch(/differs from cpu/);
  });

  it('rejects a failing backend and names the error; fails when none is left', async () => {
    const clock = { t: 0 };
    const ok = fakeModel(clock, 1, -3);
    const broken = fakeModel(clock, 1, -3, true);
    const result = await calibrateLanguageModels(
      [
        { name: 'cpu', model: ok },
        { name: 'webgpu', model: broken },
      ],
      { now: () => clock.t },
    );
    expect(result.chosen.name).toBe('cpu');
    expect(result.timings[1].rejected).toBe('Error: device lost');
    await expect(
      calibrateLanguageModels([{ name: 'webgpu', model: broken }], { now: () => clock.t }),
    ).rejects.toThrow(LanguageModelCalibrationError);
  });
});
