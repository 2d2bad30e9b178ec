import { describe, expect, it } from 'vitest';
import { CpuOps } from '../../src/gpu/cpu-ops.ts';
import { LlamaForward } from '../../src/llm/forward.ts';
import { loadLlama2c } from '../../src/llm/load/llama2c.ts';
import { readLlama2cTokenizer } from '../../src/llm/load/tokenizer-files.ts';
import { continuationTokens, logSoftmaxAt, score, ScoreError } from '../../src/llm/score.ts';
import { Tokenizer } from '../../src/llm/tokenizer.ts';
import { noStories, storiesFile } from './stories-files.ts';

describe('logSoftmaxAt', () => {
  it('matches a hand-computed value', () => {
    // log softmax([0, ln 3])[1] = ln(3 / 4)
    expect(logSoftmaxAt(Float32Array.of(0, Math.log(3)), 1)).toBeCloseTo(Math.log(0.75), 6);
    // large logits do not overflow
    expect(logSoftmaxAt(Float32Array.of(1000, 1000), 0)).toBeCloseTo(-Math.log(2), 6);
  });
});

describe.skipIf(noStories)('score on stories260K (CpuOps)', () => {
  const { weights } = loadLlama2c(storiesFile('stories260K.bin'));
  const tokenizer = new Tokenizer(readLlama2cTokenizer(storiesFile('tok512.bin'), 512));
  const prompt = 'Once upon a time, there was a little girl named';
  const vocab = weights.config.vocabSize;

  /** Reference: feed prompt + continuation one token at a time, summing log-softmax at each step. */
  async function stepwiseLogProbs(continuation: Int32Array): Promise<number[]> {
    const ops = new CpuOps();
    const model = new LlamaForward(ops, weights, { capacity: 128 });
    const ids = [...tokenizer.encode(prompt), ...continuation];
    const out: number[] = [];
    let previous = await ops.read(model.forward(Int32Array.of(ids[0]))); // [vocab]
    for (let i = 1; i < ids.length; i++) {
      if (i >= ids.length - continuation.length) out.push(logSoftmaxAt(previous, ids[i]));
      previous = await ops.read(model.forward(Int32Array.of(ids[i])));
    }
    expect(previous).toHaveLength(vocab);
    return out;
  }

  it('equals the sum of per-token log-softmax from step-by-step decoding, for every continuation', async () => {
    const continuations = [' Lily. She loved to play', 'Tim', ' zq xv bbb', [42]];
    const model = new LlamaForward(new CpuOps(), weights, { capacity: 128 });
    const scores = await score(model, tokenizer, prompt, continuations);
    expect(scores).toHaveLength(continuations.length);
    for (const [i, c] of continuations.entries()) {
      const ids = continuationTokens(tokenizer, c);
      const want = await stepwiseLogProbs(ids);
      const got = scores[i];
      expect(got.tokens).toEqual(Array.from(ids));
      expect(got.tokenCount).toBe(ids.length);
      got.tokenLogProbs.forEach((lp, j) =>
        expect(lp, `continuation ${i} token ${j}`).toBeCloseTo(want[j], 4),
      );
      expect(got.logProb).toBeCloseTo(
        want.reduce((a, b) => a + b, 0),
        4,
      );
      expect(got.meanLogProb).toBeCloseTo(got.logProb / ids.length, 10);
    }
    // the cache is left holding the prompt only
    expect(model.position).toBe(tokenizer.encode(prompt).length);
  });

  it('a likely continuation beats a garbled one, and order of continuations does not matter', async () => {
    const model = new LlamaForward(new CpuOps(), weights, { capacity: 128 });
    const [likely, garbled] = await score(model, tokenizer, prompt, [' Lily. She', ' qz xkv jjj']);
    expect(likely.meanLogProb).toBeGreaterThan(garbled.meanLogProb + 1);
    const [garbled2, likely2] = await score(model, tokenizer, prompt, [' qz xkv jjj', ' Lily. She']);
    expect(likely2.logProb).toBeCloseTo(likely.logProb, 5);
    expect(garbled2.logProb).toBeCloseTo(garbled.logProb, 5);
  });

  it('text with or without one leading space tokenizes the same (a following word)', () => {
    expect(Array.from(continuationTokens(tokenizer, ' Lily'))).toEqual(
      Array.from(continuationTokens(tokenizer, 'Lily')),
    );
  });

  it('refuses empty continuations, bad ids and continuations longer than the context', async () => {
    const model = new LlamaForward(new CpuOps(), weights, { capacity: 16 });
    await expect(score(model, tokenizer, prompt, [''])).rejects.toThrow(ScoreError);
    await expect(score(model, tokenizer, prompt, [[vocab]])).rejects.toThrow(/outside the vocabulary/);
    await expect(score(model, tokenizer, prompt, [' and then she went home to sleep'])).rejects.toThrow(
      /context holds 16/,
    );
    expect(await score(model, tokenizer, prompt, [])).toEqual([]);
  });

  it('stops between continuations when the signal is aborted', async () => {
    const model = new LlamaForward(new CpuOps(), weights, { capacity: 128 });
    const controller = new AbortController();
    controller.abort(new Error('stale'));
    await expect(score(model, tokenizer, prompt, [' Lily'], controller.signal)).rejects.toThrow('stale');
  });
});
