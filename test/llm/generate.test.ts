import { describe, expect, it } from 'vitest';
import { CpuOps } from '../../src/gpu/cpu-ops.ts';
import { LlamaForward } from '../../src/llm/forward.ts';
import { GenerateError, generate, generateText, type GenerateOptions } from '../../src/llm/generate.ts';
import { TokenKind } from '../../src/llm/load/tokenizer-files.ts';
import { Tokenizer } from '../../src/llm/tokenizer.ts';
import { tinyLlamaWeights } from './tiny-llama.ts';

// ids 0..9 of the tiny model: <unk>, <s>, </s>, then the letters a..g
const PIECES = ['<unk>', '<s>', '</s>', 'a', 'b', 'c', 'd', 'e', 'f', 'g'];
const tokenizer = new Tokenizer({
  pieces: PIECES,
  scores: new Float32Array(PIECES.length),
  kinds: Uint8Array.from(PIECES, (_, id) =>
    id === 0 ? TokenKind.unknown : id < 3 ? TokenKind.control : TokenKind.normal,
  ),
  bos: 1,
  eos: 2,
  unk: 0,
});

function model(capacity = 16) {
  return new LlamaForward(new CpuOps(), tinyLlamaWeights(11), { capacity });
}

/** Allows only "a" at even steps and "b" at odd steps. */
const alternate: GenerateOptions['allowedTokens'] = (generated) =>
  Int32Array.of(generated.length % 2 === 0 ? 3 : 4);

describe('generate', () => {
  it('applies the allowedTokens mask at every step (greedy and sampled)', async () => {
    const greedy = await generateText(model(), tokenizer, '', { maxTokens: 5, allowedTokens: alternate });
    expect(greedy).toEqual({
      tokens: [3, 4, 3, 4, 3],
      text: 'ababa',
      stopReason: 'max-tokens',
      promptTokens: 1,
    });
    const sampled = await generateText(model(), tokenizer, '', {
      maxTokens: 4,
      temperature: 1,
      seed: 3,
      allowedTokens: alternate,
    });
    expect(sampled.text).toBe('abab');
  });

  it('stops at a stop string (cut out of the text), at EOS, and when the context is full', async () => {
    const stopped = await generateText(model(), tokenizer, '', {
      maxTokens: 9,
      stop: ['ba'],
      allowedTokens: alternate,
    });
    expect([stopped.text, stopped.stopReason, stopped.tokens.length]).toEqual(['a', 'stop', 3]);
    const eos = await generateText(model(), tokenizer, '', {
      maxTokens: 9,
      allowedTokens: () => Int32Array.of(2),
    });
    expect([eos.tokens, eos.stopReason]).toEqual([[], 'eos']);
    const full = await generateText(model(4), tokenizer, '', { maxTokens: 9, allowedTokens: alternate });
    expect([full.tokens.length, full.stopReason]).toEqual([4, 'context-full']);
  });

  it('streams tokens and can be cancelled between tokens', async () => {
    const controller = new AbortController();
    const run = generate(model(), tokenizer, '', {
      maxTokens: 9,
      signal: controller.signal,
      allowedTokens: alternate,
    });
    const first = await run.next();
    expect(first).toEqual({ done: false, value: { id: 3, text: 'a' } });
    controller.abort();
    const last = await run.next();
    expect(last.done && [last.value.stopReason, last.value.tokens]).toEqual(['aborted', [3]]);
  });

  it('greedy decoding is deterministic and maxTokens 0 generates nothing', async () => {
    const a = await generateText(model(), tokenizer, 'ab', { maxTokens: 6 });
    const b = await generateText(model(), tokenizer, 'ab', { maxTokens: 6 });
    expect(a).toEqual(b);
    expect(a.promptTokens).toBe(4); // BOS, the dummy-prefix space (no " " token here: <unk>), a, b
    expect((await generateText(model(), tokenizer, 'ab', { maxTokens: 0 })).tokens).toEqual([]);
    await expect(generateText(model(), tokenizer, '', { maxTokens: -1 })).rejects.toThrow(GenerateError);
  });
});
