/**
 * Vocabularies for the SentencePiece-style BPE tokenizer, read from the llama2.c tokenizer file
 * (tok512.bin, tokenizer.bin) or from the vocabulary embedded in a GGUF file. Both become one
 * `Vocabulary`: pieces with ' ' for the SentencePiece space mark "▁", merge scores, token kinds.
 *
 * llama2.c format: i32 max_token_length, then per token: f32 score, i32 byte length, bytes.
 */
import { ByteReader } from './byte-reader.ts';
import { TokenizerFormatError } from './errors.ts';
import type { GgufFile, GgufValue } from './gguf.ts';

/** How a token takes part in encoding (GGUF token_type values 1..6). */
export const TokenKind = { normal: 1, unknown: 2, control: 3, userDefined: 4, unused: 5, byte: 6 } as const;

/** A tokenizer vocabulary. */
export interface Vocabulary {
  pieces: string[]; // [vocab] text of each token, ' ' for "▁"; byte tokens as "<0xAB>"
  scores: Float32Array; // [vocab] merge priority (higher merges first)
  kinds: Uint8Array; // [vocab] TokenKind values
  bos: number;
  eos: number;
  unk: number;
}

const BYTE_PIECE = /^<0x[0-9A-Fa-f]{2}>$/;
const fail = (message: string) => new TokenizerFormatError(message);

/** Kind of a llama2.c piece: ids 0/1/2 are <unk>/BOS/EOS, "<0xAB>" pieces are byte fallback. */
function llama2cKind(id: number, piece: string): number {
  if (id === 0) return TokenKind.unknown;
  if (id === 1 || id === 2) return TokenKind.control;
  return BYTE_PIECE.test(piece) ? TokenKind.byte : TokenKind.normal;
}

/** Reads a llama2.c tokenizer file; `vocabSize` comes from the model header (the file does not say). */
export function readLlama2cTokenizer(bytes: Uint8Array, vocabSize: number): Vocabulary {
  const r = new ByteReader(bytes, fail, 'llama2.c tokenizer file');
  const maxLength = r.i32('max_token_length');
  if (maxLength < 1 || maxLength > 1024) {
    throw fail(
      `llama2.c tokenizer: max_token_length = ${maxLength}; expected 1..1024 (is this tokenizer.bin?)`,
    );
  }
  const pieces: string[] = [];
  const scores = new Float32Array(vocabSize); // [vocab]
  for (let id = 0; id < vocabSize; id++) {
    scores[id] = r.f32(`token ${id} score`);
    const length = r.i32(`token ${id} length`);
    if (length < 0 || length > maxLength) {
      throw fail(`llama2.c tokenizer: token ${id} has length ${length}; expected 0..${maxLength}`);
    }
    pieces.push(r.utf8(length, `token ${id} text`));
  }
  if (r.remaining !== 0) {
    throw fail(
      `llama2.c tokenizer has ${r.remaining} bytes after ${vocabSize} tokens; it belongs to another model`,
    );
  }
  const kinds = Uint8Array.from(pieces, (piece, id) => llama2cKind(id, piece)); // [vocab]
  return { pieces, scores, kinds, bos: 1, eos: 2, unk: 0 };
}

function metaId(file: GgufFile, key: string, fallback: number): number {
  const value = file.metadata.get(key);
  return typeof value === 'number' || typeof value === 'bigint' ? Number(value) : fallback;
}

function isStringArray(value: GgufValue | undefined): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

/** The vocabulary embedded in a GGUF file (tokenizer.ggml.model "llama"), or null if none. */
export function vocabularyFromGguf(file: GgufFile): Vocabulary | null {
  const tokens = file.metadata.get('tokenizer.ggml.tokens');
  if (tokens === undefined) return null;
  const model = file.metadata.get('tokenizer.ggml.model');
  if (model !== 'llama') {
    throw fail(
      `GGUF tokenizer model "${String(model)}" is not supported; expected "llama" (SentencePiece BPE) or "gpt2" (byte-level BPE)`,
    );
  }
  if (!isStringArray(tokens)) throw fail('GGUF tokenizer.ggml.tokens is not an array of strings');
  const scores = file.metadata.get('tokenizer.ggml.scores');
  const types = file.metadata.get('tokenizer.ggml.token_type');
  if (!(scores instanceof Float32Array) || scores.length !== tokens.length) {
    throw fail(`GGUF tokenizer.ggml.scores must be ${tokens.length} f32 values`);
  }
  const kinds = new Uint8Array(tokens.length); // [vocab]
  tokens.forEach((piece, id) => {
    const declared = types instanceof Int32Array || types instanceof Uint32Array ? types[id] : 0;
    kinds[id] =
      declared >= 1 && declared <= 6 ? declared : BYTE_PIECE.test(piece) ? TokenKind.byte : TokenKind.normal;
  });
  return {
    pieces: tokens.map((piece) => piece.replaceAll('\u2581', ' ')),
    scores,
    kinds,
    bos: metaId(file, 'tokenizer.ggml.bos_token_id', 1),
    eos: metaId(file, 'tokenizer.ggml.eos_token_id', 2),
    unk: metaId(file, 'tokenizer.ggml.unknown_token_id', 0),
  };
}
