/**
 * Hugging Face `tokenizer.json` (+ `tokenizer_config.json`) through `@huggingface/tokenizers`, with
 * the same surface as our SentencePiece-style Tokenizer (size, bos, eos, encode, pieceBytes, decode)
 * so streaming decoding (TokenTextStream) works on it.
 *
 * Why this package and not `@huggingface/transformers`: transformers v4 depends on
 * onnxruntime-node, whose postinstall script downloads binaries from api.nuget.org; only the npm
 * registry is reachable here and in CI, so `npm i @huggingface/transformers` fails. Its tokenizer
 * code is the standalone `@huggingface/tokenizers` package (no dependencies, ~650 kB), used here.
 *
 * Piece bytes: byte-level BPE vocabularies (GPT-2 / Llama 3, decoder "ByteLevel") spell every byte
 * as one printable character (GPT-2's byte↔unicode table, byte-level.ts); SentencePiece-style
 * vocabularies (Llama 2) use "▁" for spaces and `<0xNN>` byte tokens.
 */
import { Tokenizer as HfCoreTokenizer } from '@huggingface/tokenizers';
import { fromByteLevel } from './byte-level.ts';
import { TokenizerFormatError } from './load/errors.ts';
import type { EncodeOptions } from './tokenizer.ts';

const encoder = new TextEncoder();

/** A special token's text from tokenizer_config.json (string or `{content}`), or null. */
function specialText(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && 'content' in value && typeof value.content === 'string') {
    return value.content;
  }
  return null;
}

/** Parses JSON text, naming the file on failure. */
function parseJson(text: string, file: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // fall through to the named error
  }
  throw new TokenizerFormatError(`${file} is not a JSON object; pass the model's ${file}`);
}

/** A Hugging Face tokenizer with our Tokenizer's surface. */
export class HfTokenizer {
  readonly #core: HfCoreTokenizer;
  readonly #byteLevel: boolean;
  readonly #special = new Set<number>(); // ids of added special tokens (print nothing)
  readonly size: number;
  readonly bos: number;
  readonly eos: number;
  /** the chat template from tokenizer_config.json, when it has one */
  readonly chatTemplate: string | null;
  /** the BOS / EOS texts, for chat templates */
  readonly bosText: string;
  readonly eosText: string;

  /** `tokenizerJson`: tokenizer.json text; `configJson`: tokenizer_config.json text. */
  constructor(tokenizerJson: string, configJson: string) {
    const tokenizer = parseJson(tokenizerJson, 'tokenizer.json');
    const config = parseJson(configJson, 'tokenizer_config.json');
    try {
      this.#core = new HfCoreTokenizer(tokenizer, config);
    } catch (error) {
      throw new TokenizerFormatError(`tokenizer.json could not be read: ${(error as Error).message}`);
    }
    const decoder = tokenizer.decoder as { type?: string } | null | undefined;
    this.#byteLevel = decoder?.type === 'ByteLevel';
    for (const [id, token] of this.#core.get_added_tokens_decoder()) if (token.special) this.#special.add(id);
    this.size = this.#core.get_vocab(true).size;
    [this.bosText, this.bos] = this.#specialId(config.bos_token, 'bos_token');
    [this.eosText, this.eos] = this.#specialId(config.eos_token, 'eos_token');
    this.chatTemplate = typeof config.chat_template === 'string' ? config.chat_template : null;
  }

  #specialId(value: unknown, field: string): [string, number] {
    const text = specialText(value);
    const id = text === null ? undefined : this.#core.token_to_id(text);
    if (text === null || id === undefined) {
      throw new TokenizerFormatError(
        `tokenizer_config.json ${field} ${JSON.stringify(value)} is not a token of tokenizer.json`,
      );
    }
    return [text, id];
  }

  /** Token ids of `text` [n]; special-token texts inside `text` map to their ids. */
  encode(text: string, options: EncodeOptions = {}): Int32Array {
    const ids = this.#core.encode(text, { add_special_tokens: false }).ids;
    return Int32Array.from([
      ...((options.bos ?? true) ? [this.bos] : []),
      ...ids,
      ...(options.eos ? [this.eos] : []),
    ]);
  }

  /** Bytes token `id` prints after `previous` (special tokens print nothing). */
  pieceBytes(id: number, previous: number): Uint8Array {
    const piece = this.#core.id_to_token(id);
    if (piece === undefined) throw new TokenizerFormatError(`token id ${id} is outside the vocabulary`);
    if (this.#special.has(id)) return new Uint8Array(0);
    if (this.#byteLevel) return fromByteLevel(piece);
    const byte = /^<0x([0-9A-Fa-f]{2})>$/.exec(piece);
    if (byte) return Uint8Array.of(parseInt(byte[1], 16));
    const text = piece.replaceAll('▁', ' ');
    return encoder.encode(previous === this.bos && text.startsWith(' ') ? text.slice(1) : text);
  }

  /** Text of a token sequence, as the library decodes it (special tokens skipped). */
  decode(ids: ArrayLike<number>): string {
    return this.#core.decode(Array.from(ids), { skip_special_tokens: true });
  }
}
