/**
 * SentencePiece-style BPE tokenizer with byte fallback, as in llama2.c and llama.cpp's "llama"
 * vocabulary. Encoding: optional BOS, a dummy-prefix space (for non-empty text), one token per
 * Unicode character (or its UTF-8 bytes as byte tokens when the character is not in the vocabulary),
 * then repeatedly merge the adjacent pair whose concatenation is a token with the highest score
 * (first pair wins ties). Decoding: byte tokens become raw bytes, control tokens vanish, and a
 * piece right after BOS loses its leading space.
 */
import { TokenKind, type Vocabulary } from './load/tokenizer-files.ts';

/** The input cannot be tokenized or decoded with this vocabulary. */
export class TokenizerError extends Error {
  override readonly name = 'TokenizerError';
}

const encoder = new TextEncoder();

/** Options of `encode`. */
export interface EncodeOptions {
  /** prepend BOS (default true) */
  bos?: boolean;
  /** append EOS (default false) */
  eos?: boolean;
}

/** What generation and streaming need from a tokenizer (ours or HfTokenizer). */
export interface TextTokenizer {
  readonly size: number;
  readonly bos: number;
  readonly eos: number;
  /** Token ids of `text` [n]. */
  encode(text: string, options?: EncodeOptions): Int32Array;
  /** Bytes that token `id` prints when it follows token `previous` (-1: none). */
  pieceBytes(id: number, previous: number): Uint8Array;
  /** Text of a token sequence. */
  decode(ids: ArrayLike<number>): string;
}

/** Encoder/decoder over one vocabulary. */
export class Tokenizer implements TextTokenizer {
  readonly #byPiece = new Map<string, number>();
  readonly #byteTokens = new Int32Array(256).fill(-1); // [256] token id of each byte value

  constructor(readonly vocabulary: Vocabulary) {
    const { pieces, kinds } = vocabulary;
    pieces.forEach((piece, id) => {
      const kind = kinds[id];
      if (kind === TokenKind.byte) this.#byteTokens[parseInt(piece.slice(3, 5), 16)] = id;
      else if ((kind === TokenKind.normal || kind === TokenKind.userDefined) && !this.#byPiece.has(piece)) {
        this.#byPiece.set(piece, id);
      }
    });
  }

  get size(): number {
    return this.vocabulary.pieces.length;
  }

  get bos(): number {
    return this.vocabulary.bos;
  }

  get eos(): number {
    return this.vocabulary.eos;
  }

  /** Token ids of `text` [n]. */
  encode(text: string, options: EncodeOptions = {}): Int32Array {
    const ids: number[] = [];
    if (options.bos ?? true) ids.push(this.bos);
    const symbols: number[] = []; // token ids before merging
    if (text.length > 0) this.#pushText(' ' + text, symbols);
    this.#merge(symbols);
    ids.push(...symbols);
    if (options.eos) ids.push(this.eos);
    return Int32Array.from(ids);
  }

  /** One token per character, or byte tokens for characters outside the vocabulary. */
  #pushText(text: string, out: number[]): void {
    for (const char of text) {
      const id = this.#byPiece.get(char);
      if (id !== undefined) {
        out.push(id);
        continue;
      }
      for (const byte of encoder.encode(char)) {
        const byteId = this.#byteTokens[byte];
        if (byteId < 0 && this.vocabulary.unk < 0) {
          throw new TokenizerError(
            `character ${JSON.stringify(char)} has no token and the vocabulary has no byte tokens`,
          );
        }
        out.push(byteId >= 0 ? byteId : this.vocabulary.unk);
      }
    }
  }

  /** Greedy BPE: merge the best-scoring adjacent pair until no pair forms a token (in place). */
  #merge(symbols: number[]): void {
    const { pieces, scores } = this.vocabulary;
    for (;;) {
      let best = -1;
      let bestId = -1;
      let bestScore = -Infinity;
      for (let i = 0; i + 1 < symbols.length; i++) {
        const id = this.#byPiece.get(pieces[symbols[i]] + pieces[symbols[i + 1]]);
        if (id !== undefined && scores[id] > bestScore) [best, bestId, bestScore] = [i, id, scores[id]];
      }
      if (best < 0) return;
      symbols.splice(best, 2, bestId);
    }
  }

  /** Bytes that token `id` prints when it follows token `previous` (-1: none). */
  pieceBytes(id: number, previous: number): Uint8Array {
    const { pieces, kinds } = this.vocabulary;
    if (!Number.isInteger(id) || id < 0 || id >= pieces.length) {
      throw new TokenizerError(`token id ${id} is outside the vocabulary 0..${pieces.length - 1}`);
    }
    const kind = kinds[id];
    if (kind === TokenKind.byte) return Uint8Array.of(parseInt(pieces[id].slice(3, 5), 16));
    if (kind !== TokenKind.normal && kind !== TokenKind.userDefined) return new Uint8Array(0);
    const piece = previous === this.bos && pieces[id].startsWith(' ') ? pieces[id].slice(1) : pieces[id];
    return encoder.encode(piece);
  }

  /** Text of a token sequence (a leading BOS is honoured for the space rule). */
  decode(ids: ArrayLike<number>): string {
    const stream = new TokenTextStream(this);
    let text = '';
    for (let i = 0; i < ids.length; i++) text += stream.push(ids[i]);
    return text + stream.flush();
  }
}

/** Incremental decoding for streaming: multi-byte characters split over tokens come out whole. */
export class TokenTextStream {
  readonly #decoder = new TextDecoder('utf-8');
  #previous: number;

  /** `previous`: the token before the first pushed one (e.g. the prompt's last token). */
  constructor(
    private readonly tokenizer: TextTokenizer,
    previous = -1,
  ) {
    this.#previous = previous;
  }

  /** The text completed by token `id` (may be empty while a character is incomplete). */
  push(id: number): string {
    const bytes = this.tokenizer.pieceBytes(id, this.#previous);
    this.#previous = id;
    return this.#decoder.decode(bytes, { stream: true });
  }

  /** Whatever incomplete bytes remain, as replacement characters. */
  flush(): string {
    return this.#decoder.decode();
  }
}
