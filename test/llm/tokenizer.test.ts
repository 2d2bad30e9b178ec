import { describe, expect, it } from 'vitest';
import { Tokenizer, TokenizerError } from '../../src/llm/tokenizer.ts';
import { TokenKind, readLlama2cTokenizer, type Vocabulary } from '../../src/llm/load/tokenizer-files.ts';
import { TokenizerFormatError } from '../../src/llm/load/errors.ts';

const BYTES = Array.from({ length: 256 }, (_, b) => `<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`);
// ids: 0 <unk>, 1 <s>, 2 </s>, 3..258 bytes, then normal pieces with their merge scores
const NORMAL: [string, number][] = [
  [' ', 0],
  ['a', 0],
  ['b', 0],
  ['c', 0],
  ['ab', -1],
  [' ab', -3],
  ['bc', -2],
  ['é', 0],
];

function vocabulary(): Vocabulary {
  const pieces = ['<unk>', '<s>', '</s>', ...BYTES, ...NORMAL.map(([p]) => p)];
  const kinds = Uint8Array.from(pieces, (_, id) =>
    id === 0 ? TokenKind.unknown : id < 3 ? TokenKind.control : id < 259 ? TokenKind.byte : TokenKind.normal,
  );
  const scores = Float32Array.from(pieces, (_, id) => (id < 259 ? 0 : NORMAL[id - 259][1]));
  return { pieces, scores, kinds, bos: 1, eos: 2, unk: 0 };
}

const id = (piece: string) => 259 + NORMAL.findIndex(([p]) => p === piece);
const byte = (b: number) => 3 + b;

describe('SentencePiece-style BPE tokenizer', () => {
  const tokenizer = new Tokenizer(vocabulary());

  it('adds BOS and the dummy-prefix space, then merges the best-scoring pair first', () => {
    // " abc": pairs " a"(none) "ab"(−1) "bc"(−2) → "ab" first; then " "+"ab" = " ab"(−3) → [" ab", "c"]
    expect(Array.from(tokenizer.encode('abc'))).toEqual([1, id(' ab'), id('c')]);
    expect(Array.from(tokenizer.encode('bc', { bos: false, eos: true }))).toEqual([id(' '), id('bc'), 2]);
    expect(Array.from(tokenizer.encode(''))).toEqual([1]);
  });

  it('falls back to UTF-8 byte tokens for characters outside the vocabulary', () => {
    expect(Array.from(tokenizer.encode('ä', { bos: false }))).toEqual([id(' '), byte(0xc3), byte(0xa4)]);
    expect(Array.from(tokenizer.encode('é', { bos: false }))).toEqual([id(' '), id('é')]);
  });

  it('decodes bytes into characters, drops control tokens, strips the space after BOS', () => {
    expect(tokenizer.decode([1, id(' ab'), id('c')])).toBe('abc');
    expect(tokenizer.decode([id(' ab'), id('c')])).toBe(' abc');
    expect(tokenizer.decode([1, id(' '), byte(0xc3), byte(0xa4), 2])).toBe('ä');
    expect(() => tokenizer.decode([999])).toThrow(TokenizerError);
  });

  it('round-trips text through encode and decode', () => {
    for (const text of ['abcabc', 'a b  c', 'ça bé ✓ 🎉'])
      expect(tokenizer.decode(tokenizer.encode(text))).toBe(text);
  });
});

describe('llama2.c tokenizer file', () => {
  /** Serialises pieces/scores in the llama2.c format. */
  function tokenizerFile(pieces: string[], maxLength = 8): Uint8Array {
    const parts: number[] = [];
    const push = (write: (v: DataView) => void) => {
      const v = new DataView(new ArrayBuffer(4));
      write(v);
      parts.push(...new Uint8Array(v.buffer));
    };
    push((v) => v.setInt32(0, maxLength, true));
    pieces.forEach((p, i) => {
      const bytes = new TextEncoder().encode(p);
      push((v) => v.setFloat32(0, -i, true));
      push((v) => v.setInt32(0, bytes.length, true));
      parts.push(...bytes);
    });
    return Uint8Array.from(parts);
  }

  it('reads scores, pieces and kinds (0 unk, 1/2 control, <0xAB> bytes)', () => {
    const v = readLlama2cTokenizer(tokenizerFile(['<unk>', '\n<s>\n', '\n</s>\n', '<0x41>', ' the']), 5);
    expect(v.pieces).toEqual(['<unk>', '\n<s>\n', '\n</s>\n', '<0x41>', ' the']);
    expect(Array.from(v.scores)).toEqual([-0, -1, -2, -3, -4]);
    expect(Array.from(v.kinds)).toEqual([2, 3, 3, 6, 1]);
  });

  it('rejects files that do not match the model vocabulary size', () => {
    const file = tokenizerFile(['<unk>', '<s>', '</s>']);
    expect(() => readLlama2cTokenizer(file, 4)).toThrow(TokenizerFormatError);
    expect(() => readLlama2cTokenizer(file, 2)).toThrow(/bytes after 2 tokens/);
    expect(() => readLlama2cTokenizer(tokenizerFile(['x'], 0), 1)).toThrow(/max_token_length = 0/);
  });
});
