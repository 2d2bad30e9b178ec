/**
 * Byte-level BPE tokenizer (GGUF `tokenizer.ggml.model = "gpt2"`: Llama 3.x, Qwen2, SmolLM2).
 * Encoding: special-token texts in the input become their ids; the rest is cut by the model's
 * pre-tokenizer (bpe-pretokenize.ts); each piece is spelled in GPT-2's byte alphabet
 * (byte-level.ts) and merged by BPE, always the adjacent pair with the lowest merge rank first (all
 * its occurrences, left to right) until no pair is a merge. Decoding maps the characters back to
 * bytes; control tokens print nothing.
 */
import { fromByteLevel, toByteLevel } from './byte-level.ts';
import { preTokenizer } from './bpe-pretokenize.ts';
import { TokenKind } from './load/tokenizer-files.ts';
import { TokenizerError, type EncodeOptions, type TextTokenizer } from './tokenizer.ts';

/** A byte-level BPE vocabulary as GGUF stores it. */
export interface BpeVocabulary {
  tokens: string[]; // [vocab] token text in the byte-level alphabet (special tokens as written)
  merges: string[]; // [merges] "left right", best (rank 0) first
  kinds: Uint8Array; // [vocab] TokenKind values
  bos: number;
  eos: number;
  /** `tokenizer.ggml.pre`: which pre-tokenizer cuts the text */
  pre: string;
  /** whether `encode` adds BOS by default (`tokenizer.ggml.add_bos_token`) */
  addBos: boolean;
}

const isSpecial = (kind: number) => kind === TokenKind.control || kind === TokenKind.userDefined;
const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Encoder/decoder over one byte-level BPE vocabulary. */
export class ByteLevelBpeTokenizer implements TextTokenizer {
  readonly #ids = new Map<string, number>(); // token text → id
  readonly #ranks = new Map<string, number>(); // "left right" → merge rank
  readonly #split: (text: string) => string[];
  readonly #specials: RegExp | null; // matches special-token texts, longest first
  readonly #cache = new Map<string, number[]>(); // byte-level piece → ids
  /** Llama 3 looks a whole piece up before merging (tokenizer.json "ignore_merges") */
  readonly #wholePieces: boolean;

  /** @throws UnsupportedPreTokenizerError for an unknown `vocabulary.pre` */
  constructor(readonly vocabulary: BpeVocabulary) {
    this.#split = preTokenizer(vocabulary.pre);
    vocabulary.tokens.forEach((token, id) => {
      if (!this.#ids.has(token)) this.#ids.set(token, id);
    });
    vocabulary.merges.forEach((merge, rank) => {
      if (!this.#ranks.has(merge)) this.#ranks.set(merge, rank);
    });
    const specials = vocabulary.tokens
      .filter((token, id) => isSpecial(vocabulary.kinds[id]) && token.length > 0)
      .sort((a, b) => b.length - a.length);
    this.#specials = specials.length ? new RegExp(specials.map(escapeRegex).join('|'), 'gu') : null;
    this.#wholePieces = vocabulary.pre === 'llama-bpe';
  }

  get size(): number {
    return this.vocabulary.tokens.length;
  }

  get bos(): number {
    return this.vocabulary.bos;
  }

  get eos(): number {
    return this.vocabulary.eos;
  }

  /** Token ids of `text` [n]; BOS by default when the vocabulary says so. */
  encode(text: string, options: EncodeOptions = {}): Int32Array {
    const ids: number[] = [];
    if (options.bos ?? this.vocabulary.addBos) ids.push(this.bos);
    let end = 0;
    for (const match of this.#specials ? text.matchAll(this.#specials) : []) {
      this.#encodeText(text.slice(end, match.index), ids);
      ids.push(this.#ids.get(match[0])!);
      end = match.index + match[0].length;
    }
    this.#encodeText(text.slice(end), ids);
    if (options.eos) ids.push(this.eos);
    return Int32Array.from(ids);
  }

  /** Pre-tokenizes ordinary text and appends each piece's BPE ids. */
  #encodeText(text: string, out: number[]): void {
    if (text.length === 0) return;
    for (const piece of this.#split(text)) out.push(...this.#bpe(toByteLevel(piece)));
  }

  /** BPE ids of one byte-level piece (cached). */
  #bpe(piece: string): number[] {
    const cached = this.#cache.get(piece);
    if (cached) return cached;
    const whole = this.#wholePieces ? this.#ids.get(piece) : undefined;
    const ids = whole !== undefined ? [whole] : this.#merge([...piece]).map((s) => this.#idOf(s, piece));
    if (this.#cache.size < 50_000) this.#cache.set(piece, ids);
    return ids;
  }

  /** Merges `symbols` by rank until no adjacent pair is a merge. */
  #merge(symbols: string[]): string[] {
    for (;;) {
      let bestRank = Infinity;
      let bestPair = '';
      for (let i = 0; i + 1 < symbols.length; i++) {
        const pair = symbols[i] + ' ' + symbols[i + 1];
        const rank = this.#ranks.get(pair);
        if (rank !== undefined && rank < bestRank) [bestRank, bestPair] = [rank, pair];
      }
      if (bestRank === Infinity) return symbols;
      const merged: string[] = [];
      for (let i = 0; i < symbols.length; i++) {
        if (i + 1 < symbols.length && symbols[i] + ' ' + symbols[i + 1] === bestPair) {
          merged.push(symbols[i] + symbols[++i]);
        } else merged.push(symbols[i]);
      }
      symbols = merged;
    }
  }

  #idOf(symbol: string, piece: string): number {
    const id = this.#ids.get(symbol);
    if (id === undefined) {
      throw new TokenizerError(
        `byte-level BPE produced "${symbol}" (from "${piece}") which is not a token; the vocabulary ` +
          'must hold all 256 byte characters and every merge result',
      );
    }
    return id;
  }

  /** Bytes that token `id` prints (control tokens print nothing); `previous` does not matter here. */
  pieceBytes(id: number, _previous: number): Uint8Array {
    const { tokens, kinds } = this.vocabulary;
    if (!Number.isInteger(id) || id < 0 || id >= tokens.length) {
      throw new TokenizerError(`token id ${id} is outside the vocabulary 0..${tokens.length - 1}`);
    }
    const kind = kinds[id];
    if (kind === TokenKind.control || kind === TokenKind.unused) return new Uint8Array(0);
    if (kind === TokenKind.userDefined) return new TextEncoder().encode(tokens[id]);
    return fromByteLevel(tokens[id]);
  }

  /** Text of a token sequence. */
  decode(ids: ArrayLike<number>): string {
    const bytes: number[] = [];
    for (let i = 0; i < ids.length; i++) bytes.push(...this.pieceBytes(ids[i], -1));
    return new TextDecoder('utf-8').decode(Uint8Array.from(bytes));
  }
}
