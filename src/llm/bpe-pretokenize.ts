/**
 * Pre-tokenizers of byte-level BPE vocabularies, by llama.cpp's `tokenizer.ggml.pre` name: the text
 * is cut into pieces by one or more regular expressions (each match and each gap between matches is
 * a piece; later expressions cut the earlier pieces further) before BPE runs inside each piece.
 *
 * The expressions are the ones the models' tokenizer.json files declare, rewritten for JavaScript:
 * `(?i:'s|…)` as explicit case classes, and `\s` as Unicode White_Space (Rust's `\s`; JavaScript's
 * also matches U+FEFF and misses U+0085).
 */
import { TokenizerFormatError } from './load/errors.ts';

/** The GGUF names a pre-tokenizer nobody here implements; refuse rather than tokenize differently. */
export class UnsupportedPreTokenizerError extends TokenizerFormatError {
  override readonly name = 'UnsupportedPreTokenizerError';
}

const WS = '\\t-\\r \\x85\\xA0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000'; // Unicode White_Space
const CONTRACTIONS = "'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD]";

/** Llama 3 / Qwen2 pattern; `digits` is how many digits one piece may hold. */
const llama3Style = (digits: string) =>
  `(?:${CONTRACTIONS})|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}${digits}| ?[^${WS}\\p{L}\\p{N}]+[\\r\\n]*` +
  `|[${WS}]*[\\r\\n]+|[${WS}]+(?![^${WS}])|[${WS}]+`;
const GPT2 = `'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^${WS}\\p{L}\\p{N}]+|[${WS}]+(?![^${WS}])`;

/** Expressions of each supported `tokenizer.ggml.pre` value, applied in order. */
const PRE_TOKENIZERS: Record<string, readonly string[]> = {
  'llama-bpe': [llama3Style('{1,3}')], // Llama 3.x
  qwen2: [llama3Style('')], // Qwen2 / Qwen2.5: one digit per piece
  smollm: ['\\p{N}', GPT2], // SmolLM / SmolLM2: digits isolated, then GPT-2's pattern
};

/** Names `tokenizer.ggml.pre` may have for the byte-level tokenizer. */
export const PRE_TOKENIZER_NAMES = Object.keys(PRE_TOKENIZERS);

/** Every match of `regex` in `text` and every gap between matches, in order (none empty). */
function isolate(text: string, regex: RegExp): string[] {
  const pieces: string[] = [];
  let end = 0;
  for (const match of text.matchAll(regex)) {
    if (match.index > end) pieces.push(text.slice(end, match.index));
    if (match[0].length > 0) pieces.push(match[0]);
    end = match.index + match[0].length;
  }
  if (end < text.length) pieces.push(text.slice(end));
  return pieces;
}

/**
 * The splitter for pre-tokenizer `name`.
 * @throws UnsupportedPreTokenizerError for a name outside PRE_TOKENIZER_NAMES
 */
export function preTokenizer(name: string): (text: string) => string[] {
  const sources = PRE_TOKENIZERS[name];
  if (!sources) {
    throw new UnsupportedPreTokenizerError(
      `GGUF tokenizer.ggml.pre "${name}" is not supported; expected one of ${PRE_TOKENIZER_NAMES.join(', ')} ` +
        '(a different pre-tokenizer would give different token ids, so the model is refused)',
    );
  }
  const regexes = sources.map((source) => new RegExp(source, 'gu'));
  return (text) =>
    regexes.reduce<string[]>((pieces, regex) => pieces.flatMap((p) => isolate(p, regex)), [text]);
}
