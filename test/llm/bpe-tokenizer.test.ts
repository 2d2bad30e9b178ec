import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gguf } from '@huggingface/gguf';
import { describe, expect, it } from 'vitest';
import { UnsupportedPreTokenizerError } from '../../src/llm/bpe-pretokenize.ts';
import { ByteLevelBpeTokenizer, type BpeVocabulary } from '../../src/llm/bpe-tokenizer.ts';
import { HfTokenizer } from '../../src/llm/hf-tokenizer.ts';
import { TokenizerFormatError } from '../../src/llm/load/errors.ts';
import { bpeGgufMetadata, bpeVocabularyFromGguf } from '../../src/llm/load/gguf-bpe-vocabulary.ts';
import { writeGguf } from '../../src/llm/load/gguf-write.ts';
import { parseGguf } from '../../src/llm/load/gguf.ts';
import { bpeVocabularyFromTokenizerJson } from '../../src/llm/load/hf-bpe-vocabulary.ts';
import { loadLlamaFile, tokenizerFor } from '../../src/llm/load/model-file.ts';
import { TokenKind } from '../../src/llm/load/tokenizer-files.ts';
import { randomQ4Gguf } from '../../src/llm/random-model.ts';
import { TokenTextStream } from '../../src/llm/tokenizer.ts';
import { CpuOps } from '../../src/gpu/cpu-ops.ts';
import { LlamaForward } from '../../src/llm/forward.ts';
import { generateText } from '../../src/llm/generate.ts';
import { requireOrSkip } from '../helpers/require.ts';
import { TINY_CONFIG } from './tiny-llama.ts';

const LLAMA3_DIR = resolve(import.meta.dirname, '../../../shared/models/llama3-tokenizer');
const noLlama3 = requireOrSkip(
  existsSync(resolve(LLAMA3_DIR, 'tokenizer.json')) &&
    existsSync(resolve(LLAMA3_DIR, 'tokenizer_config.json')),
  `Llama 3 tokenizer.json / tokenizer_config.json not found in ${LLAMA3_DIR}`,
);

/** Fixed multilingual / emoji / code / whitespace corpus. */
const CORPUS = [
  'Hello world',
  "I'm sure they've said it's HE'LL and we'd go; DON'T stop",
  'The movie was "great" -- 10/10, would watch again!\n\tNew line.',
  'Prices: 1234567 and 3.14159, 2024-11-22 at 20:15 UTC',
  'naïve café, Straße, Ελληνικά, русский текст, עברית, العربية',
  '東京は日本の首都です。北京欢迎你！한국어 문장도 있습니다.',
  '🎬🍿 and  two  spaces, 👨‍👩‍👧‍👦 family, 🇫🇷 flag, e\u0301 combining',
  'function add(a, b) {\n    return a + b; // sum\n}\n\n\nconst x = [1, 2, 3].map((v) => v ** 2);',
  'def f(x):\r\n\treturn x  \n   trailing   ',
  '<|start_header_id|>user<|end_header_id|>\n\nRecommend a film<|eot_id|>',
  '   leading spaces and \u00a0no-break\u3000ideographic space',
];

describe.skipIf(noLlama3)('byte-level BPE tokenizer from a GGUF built from Llama 3 tokenizer.json', () => {
  const read = (file: string) => readFileSync(resolve(LLAMA3_DIR, file), 'utf8');
  const hf = new HfTokenizer(read('tokenizer.json'), read('tokenizer_config.json'));
  const vocabulary = bpeVocabularyFromTokenizerJson(read('tokenizer.json'), {
    pre: 'llama-bpe',
    bos: '<|begin_of_text|>',
    eos: '<|end_of_text|>',
  });
  const file = parseGguf(writeGguf(bpeGgufMetadata(vocabulary), []));
  const ours = new ByteLevelBpeTokenizer(bpeVocabularyFromGguf(file));

  it('reads the vocabulary back from GGUF: 128256 tokens, 280147 merges, BOS 128000, EOS 128001', () => {
    expect([ours.size, ours.vocabulary.merges.length, ours.bos, ours.eos]).toEqual([
      128256, 280147, 128000, 128001,
    ]);
    expect(ours.vocabulary.kinds[128000]).toBe(TokenKind.control);
    expect([...ours.encode('Hello world')]).toEqual([128000, 9906, 1917]);
  });

  it('gives the same ids as @huggingface/tokenizers on every corpus text', () => {
    for (const text of CORPUS)
      expect([...ours.encode(text, { bos: false })], text).toEqual([...hf.encode(text, { bos: false })]);
  });

  it('decode(encode(text)) and streamed pieces give the text back (special tokens print nothing)', () => {
    for (const text of CORPUS.filter((t) => !t.includes('<|'))) {
      const ids = ours.encode(text);
      expect(ours.decode(ids)).toBe(text);
      const stream = new TokenTextStream(ours);
      let streamed = '';
      for (const id of ids) streamed += stream.push(id);
      expect(streamed + stream.flush()).toBe(text);
    }
  });

  it('a random-weight Llama-3-shaped Q4_0 GGUF loads with this tokenizer; @huggingface/gguf reads its vocabulary', async () => {
    const config = {
      ...TINY_CONFIG,
      dim: 64,
      hiddenDim: 96,
      heads: 4,
      kvHeads: 2,
      vocabSize: 128256,
      contextLength: 64,
    };
    const bytes = randomQ4Gguf(config, vocabulary, 3);
    const dir = mkdtempSync(join(tmpdir(), 'bpe-gguf-'));
    try {
      writeFileSync(join(dir, 'm.gguf'), bytes);
      const metadata = (await gguf(join(dir, 'm.gguf'), { allowLocalFile: true })).metadata as Record<
        string,
        unknown
      >;
      expect(metadata['tokenizer.ggml.pre']).toBe('llama-bpe');
      expect((metadata['tokenizer.ggml.merges'] as string[]).length).toBe(280147);
      expect((metadata['tokenizer.ggml.tokens'] as string[])[9906]).toBe('Hello');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const loaded = loadLlamaFile(bytes, { keepQuantized: true });
    const tokenizer = tokenizerFor(loaded);
    expect(tokenizer).toBeInstanceOf(ByteLevelBpeTokenizer);
    expect([...tokenizer.encode('Hello world')]).toEqual([128000, 9906, 1917]);
    // the generation path (as npm run generate / the worker): only " world" (1917) and " 東京" allowed
    const forward = new LlamaForward(new CpuOps(), loaded.weights, { capacity: 16 });
    const allowed = Int32Array.from(tokenizer.encode(' 東京', { bos: false }));
    const run = await generateText(forward, tokenizer, 'Hello world', {
      maxTokens: 3,
      allowedTokens: (generated) => (generated.length === 0 ? Int32Array.of(1917) : allowed),
    });
    expect(run.promptTokens).toBe(3);
    expect(run.text.startsWith(' world')).toBe(true);
    expect(run.tokens.slice(1).every((id) => allowed.includes(id))).toBe(true);
  }, 120_000); // @huggingface/gguf parses the 128k-token metadata slowly on 2 shared cores
});

describe('byte-level BPE tokenizer on a hand-made vocabulary', () => {
  // byte characters for "a", "b", "c", space (Ġ); merges a+b first, then Ġ+ab
  const vocabulary: BpeVocabulary = {
    tokens: ['a', 'b', 'c', 'Ġ', 'ab', 'Ġab', '<s>'],
    merges: ['a b', 'Ġ ab'],
    kinds: Uint8Array.from([1, 1, 1, 1, 1, 1, TokenKind.control]),
    bos: 6,
    eos: 6,
    pre: 'qwen2',
    addBos: false,
  };

  it('merges by rank: " abc ab" → Ġab c Ġab; BOS only when asked', () => {
    const tokenizer = new ByteLevelBpeTokenizer(vocabulary);
    expect([...tokenizer.encode(' abc ab')]).toEqual([5, 2, 5]);
    expect([...tokenizer.encode('ab', { bos: true })]).toEqual([6, 4]);
    expect(tokenizer.decode([6, 5, 2])).toBe(' abc');
  });

  it('refuses an unknown pre-tokenizer by name, and a byte outside the vocabulary', () => {
    expect(() => new ByteLevelBpeTokenizer({ ...vocabulary, pre: 'deepseek-coder' })).toThrow(
      UnsupportedPreTokenizerError,
    );
    expect(() => new ByteLevelBpeTokenizer(vocabulary).encode('d')).toThrow(/not a token/);
  });

  it('a GGUF without tokenizer.ggml.pre is refused with TokenizerFormatError', () => {
    const meta = bpeGgufMetadata(vocabulary).filter(([key]) => key !== 'tokenizer.ggml.pre');
    expect(() => bpeVocabularyFromGguf(parseGguf(writeGguf(meta, [])))).toThrow(TokenizerFormatError);
  });
});
