/**
 * The byte-level BPE vocabulary (`tokenizer.ggml.model = "gpt2"`) in GGUF metadata, both ways:
 * read from a parsed file (tokens, merges, token types, pre-tokenizer name, BOS/EOS, add-BOS flag)
 * and written as metadata entries for our GGUF writer.
 */
import type { BpeVocabulary } from '../bpe-tokenizer.ts';
import { TokenizerFormatError } from './errors.ts';
import type { GgufFile, GgufValue } from './gguf.ts';
import type { GgufMetaValue } from './gguf-write.ts';
import { TokenKind } from './tokenizer-files.ts';

const isStrings = (value: GgufValue | undefined): value is string[] =>
  Array.isArray(value) && value.every((v) => typeof v === 'string');

/** A token id from metadata `key`, checked against the vocabulary size. */
function tokenId(file: GgufFile, key: string, size: number): number {
  const value = file.metadata.get(key);
  const id = typeof value === 'number' || typeof value === 'bigint' ? Number(value) : NaN;
  if (!Number.isInteger(id) || id < 0 || id >= size) {
    throw new TokenizerFormatError(`GGUF ${key} must be a token id 0..${size - 1}, got ${String(value)}`);
  }
  return id;
}

/**
 * The byte-level BPE vocabulary of a GGUF file whose tokenizer.ggml.model is "gpt2".
 * @throws TokenizerFormatError when tokens, merges, pre-tokenizer or BOS/EOS are missing or malformed
 */
export function bpeVocabularyFromGguf(file: GgufFile): BpeVocabulary {
  const tokens = file.metadata.get('tokenizer.ggml.tokens');
  const merges = file.metadata.get('tokenizer.ggml.merges');
  if (!isStrings(tokens) || tokens.length === 0) {
    throw new TokenizerFormatError('GGUF tokenizer.ggml.tokens must be a non-empty array of strings');
  }
  if (!isStrings(merges)) {
    throw new TokenizerFormatError(
      'GGUF "gpt2" tokenizer needs tokenizer.ggml.merges (an array of "a b" strings)',
    );
  }
  const pre = file.metadata.get('tokenizer.ggml.pre');
  if (typeof pre !== 'string') {
    throw new TokenizerFormatError(
      'GGUF tokenizer.ggml.pre (the pre-tokenizer name, e.g. "llama-bpe") is missing; re-convert the model with a recent llama.cpp',
    );
  }
  const types = file.metadata.get('tokenizer.ggml.token_type');
  const declared = types instanceof Int32Array || types instanceof Uint32Array ? types : null;
  const kinds = Uint8Array.from(tokens, (_, id) => {
    const kind = declared?.[id] ?? TokenKind.normal;
    return kind >= 1 && kind <= 6 ? kind : TokenKind.normal;
  }); // [vocab]
  const addBos = file.metadata.get('tokenizer.ggml.add_bos_token');
  return {
    tokens,
    merges,
    kinds,
    bos: tokenId(file, 'tokenizer.ggml.bos_token_id', tokens.length),
    eos: tokenId(file, 'tokenizer.ggml.eos_token_id', tokens.length),
    pre,
    addBos: typeof addBos === 'boolean' ? addBos : true,
  };
}

/** GGUF metadata entries that store `vocabulary` (as llama.cpp's converter writes them). */
export function bpeGgufMetadata(vocabulary: BpeVocabulary): [string, GgufMetaValue][] {
  const u32 = (value: number): GgufMetaValue => ({ type: 'u32', value });
  return [
    ['tokenizer.ggml.model', { type: 'string', value: 'gpt2' }],
    ['tokenizer.ggml.pre', { type: 'string', value: vocabulary.pre }],
    ['tokenizer.ggml.tokens', { type: 'array', itemType: 'string', items: vocabulary.tokens }],
    [
      'tokenizer.ggml.token_type',
      { type: 'array', itemType: 'i32', items: Int32Array.from(vocabulary.kinds) },
    ],
    ['tokenizer.ggml.merges', { type: 'array', itemType: 'string', items: vocabulary.merges }],
    ['tokenizer.ggml.bos_token_id', u32(vocabulary.bos)],
    ['tokenizer.ggml.eos_token_id', u32(vocabulary.eos)],
    ['tokenizer.ggml.add_bos_token', { type: 'bool', value: vocabulary.addBos }],
  ];
}
