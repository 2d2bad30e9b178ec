import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HfTokenizer } from '../../src/llm/hf-tokenizer.ts';
import { TokenizerFormatError } from '../../src/llm/load/errors.ts';
import { TokenTextStream } from '../../src/llm/tokenizer.ts';
import { requireOrSkip } from '../helpers/require.ts';

const LLAMA3_DIR = resolve(import.meta.dirname, '../../../shared/models/llama3-tokenizer');
const noLlama3 = requireOrSkip(
  existsSync(resolve(LLAMA3_DIR, 'tokenizer.json')) &&
    existsSync(resolve(LLAMA3_DIR, 'tokenizer_config.json')),
  `Llama 3 tokenizer.json / tokenizer_config.json not found in ${LLAMA3_DIR}`,
);

const TEXTS = [
  'Hello world',
  'The movie was "great" -- 10/10, would watch again!\n\tNew line.',
  'naïve café, Straße, 東京, 🎬🍿 and  two  spaces',
];

describe.skipIf(noLlama3)('HfTokenizer on the Llama 3 tokenizer.json', () => {
  const read = (file: string) => readFileSync(resolve(LLAMA3_DIR, file), 'utf8');
  const tokenizer = new HfTokenizer(read('tokenizer.json'), read('tokenizer_config.json'));

  it('special ids and known ids of fixed strings (from the vocabulary file: "Hello" 9906, "Ġworld" 1917)', () => {
    expect([tokenizer.bos, tokenizer.eos, tokenizer.size]).toEqual([128000, 128001, 128256]);
    expect([...tokenizer.encode('Hello world')]).toEqual([128000, 9906, 1917]);
    expect([...tokenizer.encode('Hello world', { bos: false, eos: true })]).toEqual([9906, 1917, 128001]);
    expect(tokenizer.chatTemplate).toContain('<|start_header_id|>');
  });

  it('decode(encode(text)) and streaming piece bytes give the text back', () => {
    for (const text of TEXTS) {
      const ids = tokenizer.encode(text);
      expect(tokenizer.decode(ids)).toBe(text);
      const stream = new TokenTextStream(tokenizer);
      let streamed = '';
      for (const id of ids) streamed += stream.push(id);
      expect(streamed + stream.flush()).toBe(text);
    }
  });

  it('special-token text in the input maps to its id', () => {
    expect([...tokenizer.encode('<|begin_of_text|>', { bos: false })]).toEqual([128000]);
  });
});

describe('HfTokenizer errors', () => {
  it('names bad files and special tokens missing from the vocabulary', () => {
    expect(() => new HfTokenizer('not json', '{}')).toThrow(TokenizerFormatError);
    expect(() => new HfTokenizer('{}', '[]')).toThrow(/tokenizer_config.json is not a JSON object/);
    const tiny = JSON.stringify({
      model: { type: 'BPE', vocab: { a: 0, b: 1, ab: 2 }, merges: ['a b'] },
      added_tokens: [],
      normalizer: null,
      pre_tokenizer: null,
      post_processor: null,
      decoder: null,
    });
    expect(() => new HfTokenizer(tiny, JSON.stringify({ bos_token: '<s>', eos_token: 'b' }))).toThrow(
      /bos_token "<s>" is not a token/,
    );
    const ok = new HfTokenizer(tiny, JSON.stringify({ bos_token: 'a', eos_token: { content: 'b' } }));
    expect([...ok.encode('ab', { bos: false })]).toEqual([2]); // merge a+b → ab
  });
});
